#!/usr/bin/env bash
# Installs dependencies, builds, and runs the agent in the foreground on :9090 (no config
# file needed). Extra arguments go to `vnf-agent run`, e.g. `scripts/run.sh --log-level debug`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNF_AGENT_BUILD_TESTS=OFF
cmake --build build -j"$(nproc)" --target vnf-agent
exec build/agent/vnf-agent run "$@"
