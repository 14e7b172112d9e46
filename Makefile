# The two commands of the README: `make demo` and `make test`. Both install
# missing Debian packages (as root), configure and build first.
BUILD ?= build
OUT ?= out
JOBS ?= 2
# CI builds with warnings as errors.
WERROR := $(if $(CI),ON,OFF)

.PHONY: all deps build demo test bench clean

all: build

deps:
	@bash tools/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DAP_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Every edition listed in samples/editions.txt, rendered into out/.
demo: build
	@mkdir -p $(OUT)
	@grep -v '^#' samples/editions.txt | while read -r layout data pdf options; do \
	  [ -n "$$layout" ] || continue; \
	  echo "render $(OUT)/$$pdf"; \
	  $(BUILD)/anpham render $$layout --data $$data -o $(OUT)/$$pdf $$options || exit 1; \
	done

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(OUT)
