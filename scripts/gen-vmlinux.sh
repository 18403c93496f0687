#!/usr/bin/env bash
# Regenerates vmlinux/<arch>/vmlinux.h from a running kernel's BTF for CO-RE builds.
# The checked-in header only needs the types the probes use; CO-RE relocations adapt
# field offsets to whatever kernel the agent later loads on.
# Usage: scripts/gen-vmlinux.sh [BTF_FILE (default /sys/kernel/btf/vmlinux)]
set -euo pipefail
btf=${1:-/sys/kernel/btf/vmlinux}
case $(uname -m) in
  x86_64) arch=x86 ;;
  aarch64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
out=$(dirname "$0")/../vmlinux/$arch/vmlinux.h
mkdir -p "$(dirname "$out")"
bpftool btf dump file "$btf" format c > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out from $btf"
