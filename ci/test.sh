#!/usr/bin/env bash
# Builds ftlint and runs the whole test suite through CTest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/ci/build.sh"
cd "$root/build"
ctest -j2 --output-on-failure
