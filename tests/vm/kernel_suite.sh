#!/usr/bin/env bash
# The integration tests that matter on a new kernel, inside Debian's kernel SERIES on pure
# cgroup v2 (tests/vm/vm.sh), with CI=true: a skip fails there too, except a test whose kernel
# lacks what it measures (privileges.h, VNF_REQUIRE_KERNEL_FEATURE), which says so.
#
#   tests/vm/kernel_suite.sh SERIES BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
series=$1 build=$(cd "$2" && pwd)

# Without root or QEMU the matrix cannot run: a skip (77) for a developer, a failure in CI.
missing=""
[[ $(id -u) == 0 ]] || missing="root"
for tool in qemu-system-x86_64 busybox; do command -v "$tool" >/dev/null || missing+=" $tool"; done
if [[ -n $missing ]]; then
  echo "kernel_suite: needs${missing# } (sudo bash scripts/install-deps.sh --test)" >&2
  [[ ${CI:-} == true ]] && exit 1
  exit 77
fi

# CPU, run-queue, throttling, pressure, memory and network accuracy against the kernel's
# files, cgroup churn and events, the exposition lint, the hook; and which source each family
# uses.
filter=$(IFS=:; echo "${VNF_KERNEL_TESTS:-KernelFeatures.*
Collectors/CpuAccuracy.*
Collectors/CpuBandwidth.*
Collectors/Pressure.*
Runqueue.*
Collectors/MemoryAccuracy.*
Offloads/NetworkAccuracy.*
NetworkInterfaces.*
NetworkSharedNamespace.*
NetworkDrops.*
NetworkHostNamespace.*
Collectors/CgroupChurn.*
CgroupEvents.*
Collectors/ExpositionLint.*
Hook.*
Transports/HookApiOn.*}" | tr '\n' ':')
filter=${filter%:}

exec bash "$here/vm.sh" run "$series" -t "${VNF_KERNEL_SUITE_TIMEOUT:-1500}" -C "$build" -- \
  env CI=true VNF_TEST_UNDER_EMULATION=1 "$build/tests/integration_tests" --gtest_filter="$filter" --gtest_color=no
