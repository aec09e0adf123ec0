#!/usr/bin/env bash
# Installs everything ftlint needs to build and test on Debian 12 (bookworm).
# Idempotent: packages that are already present are not fetched again.
set -euo pipefail

packages=(
  cmake ninja-build g++
  clang-19 libclang-19-dev llvm-19-dev libclang-rt-19-dev clang-tidy-19
  nlohmann-json3-dev libfmt-dev libgtest-dev libtomlplusplus-dev
  python3-dev pybind11-dev bear
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ftlint: all build dependencies are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "ftlint: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
