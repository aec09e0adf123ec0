#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) into build-fuzz/ and runs each one for a
# bounded time, starting from its saved inputs. A crash, leak-free abort or
# timeout fails the script; the input that caused it is left in
# build-fuzz/artifacts/ to be added under testdata/fuzz/<target>/ once fixed.
#
#   ci/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default: 60, all four)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then targets=(database config suppression pipeline); fi

bash "$root/ci/install-deps.sh"
build="$root/build-fuzz"
# -O1 without debug information: the fuzzers need speed and stack traces
# with function names, not a debugger. No NDEBUG: LLVM's own assertions in
# the headers ftlint uses stay on and catch misuse of its data structures.
CC=clang-19 CXX=clang++-19 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O1" -DFTLINT_FUZZ=ON -DFTLINT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/ftlint_fuzz_}"

# The pipeline target parses against real headers: the newest Python that
# sysconfig can name, so fixes that need 3.13 APIs are compiled as they are.
has_headers() {
  "$1" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null
}
if [ -z "${FTLINT_FUZZ_PYTHON:-}" ]; then
  candidates=(python3.14 python3.13)
  if command -v pyenv >/dev/null 2>&1; then
    newest="$(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -V | tail -1 || true)"
    if [ -n "$newest" ]; then candidates+=("$(pyenv root)/versions/$newest/bin/python3"); fi
  fi
  candidates+=(python3)
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 && has_headers "$candidate"; then
      FTLINT_FUZZ_PYTHON="$(command -v "$candidate")"
      break
    fi
  done
fi
export FTLINT_FUZZ_PYTHON="${FTLINT_FUZZ_PYTHON:-python3}"
echo "ftlint fuzz: pipeline headers from $FTLINT_FUZZ_PYTHON"

# Leaks: clang frees some per-TU state only at exit; the run would stop on
# those, not on ftlint's bugs. Every other sanitizer report is fatal.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$build/artifacts" "$build/corpus"
declare -A extra_seeds=([suppression]="$root/testdata/fixtures" [pipeline]="$root/testdata/fixtures")
declare -A dictionaries=([pipeline]="$root/testdata/fuzz/pipeline.dict" [suppression]="$root/testdata/fuzz/suppression.dict")
status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"   # grows between runs; the saved inputs seed it
  mkdir -p "$corpus"
  args=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=65536
        -artifact_prefix="$build/artifacts/$target-" -print_final_stats=1)
  if [ -n "${dictionaries[$target]:-}" ]; then args+=(-dict="${dictionaries[$target]}"); fi
  echo "ftlint fuzz: $target for ${seconds}s"
  if ! "$build/tool/fuzz/ftlint_fuzz_$target" "${args[@]}" "$corpus" "$root/testdata/fuzz/$target" \
        ${extra_seeds[$target]:-} 2>"$build/$target.log"; then
    echo "ftlint fuzz: $target FAILED; its log: $build/$target.log" >&2
    tail -n 60 "$build/$target.log" >&2
    status=1
  else
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$build/$target.log" || true
  fi
done
exit "$status"
