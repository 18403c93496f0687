#!/usr/bin/env bash
# Installs dependencies (test tools included), builds, and runs the whole test suite with
# CTest. Integration tests need root and BPF; with CI=true they fail instead of skipping.
# Then, unless CTest arguments narrowed the run or VNF_SANITIZERS is empty, builds the agent
# and its tests once more with AddressSanitizer and UndefinedBehaviorSanitizer (every report
# fatal) and runs the unit and integration tests on that build, whose agent the integration
# tests start; and, unless VNF_TSAN is empty, once more with ThreadSanitizer for the tests
# that exercise the agent's threads.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNF_AGENT_BUILD_TESTS=ON
cmake --build build -j"$(nproc)"
if [[ $# -eq 0 ]]; then
  # The fuzzers are single-threaded and bound by time, not by work: they run side by side, one
  # per CPU; everything else runs alone (the integration tests compare with the kernel's clock).
  ctest --test-dir build --output-on-failure -LE fuzz
  ctest --test-dir build --output-on-failure -L fuzz -j"$(nproc)"
else
  ctest --test-dir build --output-on-failure "$@"
fi

# The sanitizer builds compile at -O1 with line tables only: their reports keep file and line,
# and each build takes some 40 % less time than at -O2 with full debug information.
sanitizer_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
                 -DVNF_AGENT_BUILD_TESTS=ON -DVNF_AGENT_BUILD_BENCH=OFF -DVNF_KERNEL_TESTS=OFF
                 -DVNF_AGENT_BUILD_FUZZERS=OFF)
if [[ $# -eq 0 && -n ${VNF_SANITIZERS-address,undefined} ]]; then
  cmake -S . -B build-sanitize "${sanitizer_flags[@]}" -DVNF_AGENT_SANITIZE="${VNF_SANITIZERS-address,undefined}"
  cmake --build build-sanitize -j"$(nproc)"
  ctest --test-dir build-sanitize --output-on-failure -L 'unit|integration'
fi

# ThreadSanitizer (every report fatal) over the unit tests and the integration tests whose agent
# serves HTTP while it scrapes, follows cgroup events, reloads on SIGHUP and journals hook
# calls, and the reader whose helper threads read namespaces' tables; the accuracy tests are
# left out: under TSan they would measure its slowdown.
if [[ $# -eq 0 && -n ${VNF_TSAN-thread} ]]; then
  cmake -S . -B build-tsan "${sanitizer_flags[@]}" -DVNF_AGENT_SANITIZE=thread
  cmake --build build-tsan -j"$(nproc)" --target vnf-agent unit_tests integration_tests
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
  ctest --test-dir build-tsan --output-on-failure -L unit
  ctest --test-dir build-tsan --output-on-failure -L integration \
    -R 'AgentCli|CgroupEvents|Hook|HttpLimits|VnfIdentity|WebConfig|CgroupChurn|ExpositionLint|PrometheusEndToEnd|KernelFeatures|NetnsDevices'
fi
