#!/usr/bin/env bash
# Installs vnf-agent's dependencies from Debian 12 packages. Idempotent: what is present is
# left alone. `--test` adds what the test suite uses (GoogleTest, promtool, ...).
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git
  clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
  prometheus-cpp-dev libcli11-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libcpp-httplib-dev libmicrohttpd-dev libgnutls28-dev libcrypt-dev libssl-dev nlohmann-json3-dev libsqlite3-dev
)
test_packages=(libgtest-dev libgmock-dev prometheus curl procps iproute2 iperf3 ethtool libclang-rt-14-dev lintian rpm rpmlint
               python3  # scripts/check-include-graph.py, and bench/run.sh
               bpftrace libbenchmark-dev prometheus-node-exporter  # these three for bench/run.sh
               docker.io containerd runc mmdebstrap python3-yaml  # tests/e2e: a real engine
               qemu-system-x86 busybox-static kmod cpio xz-utils)  # tests/vm: the kernel matrix

packages=("${build_packages[@]}")
[[ ${1:-} == --test ]] && packages+=("${test_packages[@]}")
# A host that already runs another engine (Docker CE's docker-ce and containerd.io conflict
# with Debian's docker.io, containerd and runc) keeps it: the end-to-end tests use that one.
if command -v dockerd >/dev/null && ! dpkg-query -W -f='${Status}' docker.io 2>/dev/null | grep -q "install ok installed"; then
  kept=()
  for p in "${packages[@]}"; do [[ " docker.io containerd runc " == *" $p "* ]] || kept+=("$p"); done
  packages=("${kept[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: run as root to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The tests only need promtool from the prometheus package, the benchmarks run node_exporter
# themselves, and the end-to-end tests start their own dockerd. Keep these servers from
# starting now (prometheus would take port 9090, the agent's default) and at boot.
daemons=()
for d in prometheus prometheus-node-exporter docker.io containerd; do [[ " ${missing[*]} " == *" $d "* ]] && daemons+=("$d"); done
if ((${#daemons[@]})) && [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}"
if ((${#daemons[@]})) && command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  for d in "${daemons[@]}"; do
    units=("$d.service")
    [[ $d == docker.io ]] && units=(docker.service docker.socket)
    systemctl disable --now "${units[@]}" >/dev/null 2>&1 || true
  done
fi
