#!/usr/bin/env bash
# Runs a command as root inside one of Debian's kernels, booted under QEMU with this host's
# root filesystem shared read-only over 9p, on pure cgroup v2 (the guest mounts cgroup2 at
# /sys/fs/cgroup itself; no systemd). The way libbpf's vmtest and cilium's vimto test BPF
# code on many kernels.
#
#   tests/vm/vm.sh fetch SERIES            download (once) and prepare a kernel; prints its release
#   tests/vm/vm.sh run SERIES [-t SECONDS] [-m MIB] [-C DIR] -- COMMAND [ARG...]
#                                          boot it, run COMMAND in DIR (default: the current
#                                          folder), print its output, exit with its status
#
# SERIES is 5.10 (Debian 11), 6.1 (Debian 12) or 6.12 (Debian 12 backports). Kernels come
# from Debian's archive only, with `apt-get download` from a private apt state (nothing is
# installed) and are kept in $VNF_VM_CACHE (default /var/cache/vnf-agent-vm). Exit status:
# the command's; 124 when it ran past SECONDS; 125 when the VM did not run it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${VNF_VM_CACHE:-/var/cache/vnf-agent-vm}

die() { echo "vm: $*" >&2; exit 125; }

# The newest kernel package of a series in the suite that carries it.
package_pattern() {
  case $1 in
    5.10) echo '^linux-image-5\.10\.0-[0-9]+-amd64$' ;;
    6.1) echo '^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
    6.12) echo '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
    *) die "unknown kernel series '$1' (5.10, 6.1 or 6.12)" ;;
  esac
}

apt_private() {  # apt_private COMMAND ARGS...: apt-get/apt-cache on the private lists
  local tool=$1; shift
  "$tool" -q -o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$cache/apt/lists" -o Dir::Cache="$cache/apt/cache" -o APT::Sandbox::User=root "$@"
}

apt_update() {
  mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
  cat > "$cache/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bullseye main
deb http://deb.debian.org/debian-security bullseye-security main
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian-security bookworm-security main
deb http://deb.debian.org/debian bookworm-backports main
EOF
  apt_private apt-get update >/dev/null
}

# fetch SERIES: $cache/SERIES/{vmlinuz,initramfs.cpio,release,root/lib/modules/RELEASE}
fetch() {
  local series=$1 dir="$cache/$1" pattern package release
  pattern=$(package_pattern "$series")
  if [[ -s $dir/release && -s $dir/initramfs.cpio && -s $dir/vmlinuz ]]; then
    # A changed first stage is built in again; the kernel stays.
    [[ $here/initramfs-init -nt $dir/initramfs.cpio ]] && build_initramfs "$dir" "$(cat "$dir/release")"
    cat "$dir/release"; return
  fi
  command -v busybox >/dev/null || die "busybox is needed for the initramfs (apt-get install busybox-static)"
  apt_update
  package=$(apt_private apt-cache search --names-only "$pattern" | awk '{print $1}' | grep -E "$pattern" | sort -V | tail -1)
  [[ -n $package ]] || die "no package matching $pattern in Debian's archive"
  release=${package#linux-image-}
  rm -rf "$dir"; mkdir -p "$dir/root"
  (cd "$dir" && apt_private apt-get download "$package" >/dev/null)
  dpkg-deb -x "$dir"/"${package}"_*.deb "$dir/root"
  rm -f "$dir"/*.deb
  # The guest loads modules with modprobe from this tree (mounted at its /lib/modules), so
  # give it the index a package install would have made. xz-compressed modules (6.12) are
  # decompressed: busybox's insmod in the initramfs cannot read them.
  find "$dir/root/lib/modules/$release" -name '*.ko.xz' -exec xz -d {} +
  depmod -b "$dir/root" "$release"
  cp "$dir/root/boot/vmlinuz-$release" "$dir/vmlinuz"
  build_initramfs "$dir" "$release"
  echo "$release" > "$dir/release"
  echo "$release"
}

build_initramfs() {  # build_initramfs DIR RELEASE
  local dir=$1 release=$2 staging m
  staging=$(mktemp -d)
  mkdir -p "$staging"/{bin,dev,proc,sys,newroot,modules}
  cp "$(command -v busybox)" "$staging/bin/busybox"
  : > "$staging/modules.list"
  # 9p over virtio and what it depends on, in load order; built-in ones print "builtin".
  while read -r kind path _; do
    [[ $kind == insmod ]] || continue
    m=$(basename "$path")
    [[ -e $staging/modules/$m ]] && continue
    cp "$path" "$staging/modules/$m"
    echo "$m" >> "$staging/modules.list"
  done < <(modprobe -d "$dir/root" -S "$release" --show-depends -a virtio_pci 9pnet_virtio 9p 2>/dev/null)
  cp "$here/initramfs-init" "$staging/init"
  chmod +x "$staging/init"
  (cd "$staging" && find . | cpio -o -H newc --quiet) > "$dir/initramfs.cpio"
  rm -rf "$staging"
}

run() {
  local series=$1; shift
  local timeout=1800 memory=3072 workdir=$PWD
  while [[ $# -gt 0 && $1 != -- ]]; do
    case $1 in
      -t) timeout=$2; shift 2 ;;
      -m) memory=$2; shift 2 ;;
      -C) workdir=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ ${1:-} == -- ]] && shift
  [[ $# -gt 0 ]] || die "no command given"
  command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is needed (apt-get install qemu-system-x86)"
  local release dir="$cache/$series" results scratch status
  release=$(fetch "$series")
  results=$(mktemp -d) scratch=$(mktemp -d)
  trap 'rm -rf "$results" "$scratch"' RETURN
  printf '%q ' "$@" > "$results/command"
  printf '%s\n' "$workdir" > "$results/workdir"
  printf '%s\n' "$timeout" > "$results/timeout"
  # The root of the guest kernel's modules tree, by its path in the shared root.
  printf '%s\n' "$dir/root" > "$results/modules-root"
  # The VM gets room beyond the command's own timeout for booting and powering off; TCG
  # because this host's /dev/kvm cannot run stock kernels. Under TCG the virtual CPUs' TSCs
  # drift apart, and 5.10's clocksource watchdog would fall back to the HPET, whose every read
  # exits to QEMU: the TSC is what the hardware these kernels run on provides. Only there:
  # 6.12 told so takes an int3 oops at boot (sched_clock_cpu patched while the other vCPU runs
  # it), and 6.1 and 6.12 keep the TSC without. VNF_VM_CMDLINE adds to the kernel's command
  # line (vnfvm_cache=mmap mounts the root with 9p's stricter cache mode).
  local clock=""
  [[ $series == 5.10 ]] && clock="tsc=reliable"
  local started=$SECONDS
  timeout --kill-after=10 $((timeout + 300)) qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -smp 2 -m "$memory" -nodefaults -no-reboot -display none \
    -serial mon:stdio -kernel "$dir/vmlinuz" -initrd "$dir/initramfs.cpio" \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 $clock ${VNF_VM_CMDLINE:-} vnfvm_init=$here/guest-init.sh" \
    -virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$results",mount_tag=results,security_model=none,multidevs=remap \
    -virtfs local,path="$scratch",mount_tag=scratch,security_model=none,multidevs=remap \
    </dev/null | tr -d '\r' || true
  echo "vm: $release: $((SECONDS - started)) s from boot to power-off" >&2
  if [[ ! -s $results/status ]]; then
    echo "vm: the guest did not report the command's exit status" >&2
    return 125
  fi
  status=$(cat "$results/status")
  return "$status"
}

case ${1:-} in
  fetch) [[ $# -eq 2 ]] || die "usage: vm.sh fetch SERIES"; fetch "$2" ;;
  run) [[ $# -ge 3 ]] || die "usage: vm.sh run SERIES [-t SECONDS] [-m MIB] [-C DIR] -- COMMAND..."; shift; run "$@" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
