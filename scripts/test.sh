#!/usr/bin/env bash
# Installs dependencies (test tools included), builds, and runs the whole test suite with
# CTest. Integration tests need root and BPF; with CI=true they fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNF_AGENT_BUILD_TESTS=ON
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure "$@"
