#!/usr/bin/env bash
# valgrind memcheck on the render of every edition of samples/editions.txt
# (as `make demo` renders them), into a scratch folder: any memory error or
# definite leak fails. Usage: tools/valgrind-editions.sh BUILD
set -euo pipefail
build=${1:?usage: valgrind-editions.sh BUILD}
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
grep -v '^#' samples/editions.txt | while read -r layout data pdf options; do
  [ -n "$layout" ] || continue
  echo "valgrind: render $pdf"
  # shellcheck disable=SC2086 # options are words
  valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    "$build/anpham" render "$layout" --data "$data" -o "$out/$pdf" $options
  [ -s "$out/$pdf" ] || { echo "valgrind: $pdf not written"; exit 1; }
done
echo "valgrind: every edition rendered without a memory error or a definite leak"
