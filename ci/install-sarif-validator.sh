#!/usr/bin/env bash
# Installs Microsoft's SARIF validator (npm package @microsoft/sarif-multitool)
# into a private directory and prints the path of its native binary.
#
#   ci/install-sarif-validator.sh [DIR]
#
# DIR defaults to $HOME/.cache/ftlint/sarif-multitool. Running it again is
# cheap: an existing, working install is reused. The version is pinned so CI
# results do not change under us; override with FTLINT_SARIF_MULTITOOL_VERSION.
#
# Only the binary path goes to stdout, so callers can capture it:
#   validator="$(ci/install-sarif-validator.sh)"
set -euo pipefail

version="${FTLINT_SARIF_MULTITOOL_VERSION:-5.7.0}"
dir="${1:-${HOME:-/tmp}/.cache/ftlint/sarif-multitool}"

case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=darwin ;;
  *) echo "install-sarif-validator: unsupported platform $(uname -s)" >&2; exit 1 ;;
esac
binary="$dir/node_modules/@microsoft/sarif-multitool-$platform/Sarif.Multitool"
stamp="$dir/.ftlint-installed-version"

# Callers running at the same time (the test suite runs its tests in
# parallel) install once: the first holds the lock while npm runs, the others
# wait for it and then find the install done. Two npm installs into one
# directory at once leave it broken.
mkdir -p "$dir"
exec 9>"$dir/.install.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

installed_version=""
[ -f "$stamp" ] && installed_version="$(cat "$stamp")"

if [ ! -f "$binary" ] || [ "$installed_version" != "$version" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-sarif-validator: npm is needed (apt-get install npm)" >&2
    exit 1
  fi
  # A package.json of our own keeps npm from walking up to some parent project.
  if [ ! -f "$dir/package.json" ]; then
    printf '{\n  "name": "ftlint-sarif-validator",\n  "private": true\n}\n' >"$dir/package.json"
  fi
  echo "install-sarif-validator: installing @microsoft/sarif-multitool@$version into $dir" >&2
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool@$version" >&2
  if [ ! -f "$binary" ]; then
    echo "install-sarif-validator: npm finished but $binary is missing" >&2
    exit 1
  fi
  printf '%s\n' "$version" >"$stamp"
fi

# npm does not run the package's install script, which is what would mark the
# native binary executable.
chmod u+x "$binary"
printf '%s\n' "$binary"
