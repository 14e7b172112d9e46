# The two commands of the README: `make demo` and `make test`. Both install
# missing Debian packages (as root), configure and build first.
BUILD ?= build
OUT ?= out
JOBS ?= 2
# CI builds with warnings as errors.
WERROR := $(if $(CI),ON,OFF)

# `make fuzz`: libFuzzer targets (fuzz/README.md), FUZZ_SECONDS each.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# `make sanitize`: every test against an ASan+UBSan build.
SANITIZE_BUILD ?= build-asan
# `make install`: where (PREFIX/bin/anpham, PREFIX/share/anpham, ...; DESTDIR is honoured).
PREFIX ?= /usr/local

.PHONY: all deps build demo test bench clean fuzz sanitize valgrind install uninstall deb

all: build

deps:
	@bash tools/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DAP_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Every edition listed in samples/editions.txt, rendered into out/, the
# district editions (samples/districts.xml, one batch run) into out/districts/,
# and the yearly archive (anpham archive, about 1.5 s) into out/archive/.
demo: build
	@mkdir -p $(OUT)
	@grep -v '^#' samples/editions.txt | while read -r layout data pdf options; do \
	  [ -n "$$layout" ] || continue; \
	  echo "render $(OUT)/$$pdf"; \
	  $(BUILD)/anpham render $$layout --data $$data -o $(OUT)/$$pdf $$options || exit 1; \
	done
	@echo "batch $(OUT)/districts (samples/districts.xml)"
	@$(BUILD)/anpham batch samples/districts.xml -o $(OUT)/districts
	@echo "archive $(OUT)/archive (samples/archive.xml: the yearly editions as PDF/A with their source)"
	@$(BUILD)/anpham archive -o $(OUT)/archive

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Every test (ctest: units, e2e scripts on this build's anpham, fuzz
# regressions) against an ASan+UBSan build: any error, UB or leak fails
# (but the third-party leaks of tools/lsan.supp).
sanitize: deps
	@cmake -S . -B $(SANITIZE_BUILD) -DAP_SANITIZE=ON -DAP_WERROR=ON >/dev/null
	@cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	@cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# valgrind memcheck on the render of every edition (as demo), into a scratch folder.
valgrind: build
	@bash tools/valgrind-editions.sh $(BUILD)

# Build the fuzz targets with clang (own folder) and run each for FUZZ_SECONDS.
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DAP_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	@bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Install the binary, its fonts, layouts, schema, examples, man pages and bash
# completion under PREFIX (docs/command-line.md, "Install"); `make uninstall`
# removes every file that install wrote (BUILD/install_manifest.txt).
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

uninstall:
	@cmake -DMANIFEST=$(abspath $(BUILD))/install_manifest.txt -P cmake/uninstall.cmake

# The Debian package, BUILD/anpham_VERSION_ARCH.deb (CPack; dpkg-shlibdeps of
# dpkg-dev and `file` declare its dependencies). Not part of `make test`.
deb: build
	@command -v dpkg-shlibdeps >/dev/null && command -v file >/dev/null || \
	  { echo "make deb: needs dpkg-shlibdeps and file: apt-get install dpkg-dev file" >&2; exit 1; }
	@cd $(BUILD) && cpack -G DEB
	@ls $(BUILD)/anpham_*.deb

bench: build
	@bash bench/run.sh $(BUILD)
	@bash bench/batch.sh $(BUILD)
	@bash bench/mailmerge.sh $(BUILD)
	@bash bench/watch.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(OUT) $(FUZZ_BUILD) $(SANITIZE_BUILD)
