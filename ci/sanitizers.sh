#!/usr/bin/env bash
# Builds ftlint with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-sanitize/ and runs the whole test suite there; any report fails it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/ci/install-deps.sh"
cmake -S "$root" -B "$root/build-sanitize" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFTLINT_SANITIZE=ON >/dev/null
cmake --build "$root/build-sanitize" -j2
# The tests run the binary and its fixtures; a sanitizer report aborts the
# process, which fails the test that ran it. Python's own modules are not
# instrumented, and leak reports from clang's intentional one-shot
# allocations at exit are not ftlint's: leak checking stays off.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$root/build-sanitize"
ctest -j2 --output-on-failure "$@"
