#!/usr/bin/env bash
# Builds ftlint and lints the bundled demo extension (testdata/demo).
# The demo is full of hazards on purpose: ftlint exits 1 on it, which this
# script reports as success; any other status is a failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/ci/build.sh"
python="$(command -v python3)"
cmake -S "$root/testdata/demo" -B "$root/testdata/demo/build" -DPython3_EXECUTABLE="$python" >/dev/null
set +e
"$root/build/ftlint" -p "$root/testdata/demo/build" "$@"
status=$?
set -e
if [ "$status" -eq 1 ]; then
  echo "ftlint found the demo's hazards (exit status 1, as expected)."
  echo
  echo "The fixes it offers (ftlint --diff --unsafe-fixes; nothing is written):"
  "$root/build/ftlint" -p "$root/testdata/demo/build" --diff --unsafe-fixes || true
  exit 0
fi
exit "$status"
