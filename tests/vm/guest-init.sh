#!/bin/bash
# PID 1 in the guest, on the host's read-only root: the mounts a node's init would make, on
# pure cgroup v2 with the cpu, memory, io and pids controllers enabled at the root, then the
# command that vm.sh left in the results share; its exit status goes back there, and the
# guest powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 CI=${CI:-true}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# The results share first: it names the folder the command runs in, which the writable
# tmpfs mounts below must not hide (a checkout in /tmp, say): the host's copy of the folder's
# top entry there is bound back over the tmpfs.
mkdir -p /dev/.vnfvm/results /dev/.vnfvm/host
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=512000 results /dev/.vnfvm/results
workdir=$(cat /dev/.vnfvm/results/workdir)
for d in /tmp /run /var/tmp /var/lib /var/log /root; do
  keep=""
  case $workdir/ in "$d"/*) keep=${workdir#"$d"/}; keep=$d/${keep%%/*} ;; esac
  [[ -n $keep ]] && mount --bind "$keep" /dev/.vnfvm/host
  mount -t tmpfs -o mode=0755 tmpfs "$d"
  if [[ -n $keep ]]; then
    mkdir -p "$keep"
    mount -n --move /dev/.vnfvm/host "$keep"  # -n: /etc/mtab is on the read-only root
  fi
done
chmod 1777 /tmp /var/tmp
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo "+cpu +memory +io +pids" > /sys/fs/cgroup/cgroup.subtree_control

mkdir -p /run/vm/results
mount -n --move /dev/.vnfvm/results /run/vm/results
results=/run/vm/results
# A writable share with a page cache, for tests that need files whose pages can be reclaimed
# (tmpfs pages cannot, without swap).
mkdir -p /run/vm/scratch
mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=512000 scratch /run/vm/scratch
export VNF_TEST_PAGE_CACHE_DIR=/run/vm/scratch

# The guest kernel's modules (veth, ...) stay in the tree vm.sh prepared on the host: the
# kernel's own requests and a plain `modprobe` both go through a wrapper that points there.
mkdir -p /run/vm/bin
printf '#!/bin/sh\nexec /sbin/modprobe -d %q "$@"\n' "$(cat "$results/modules-root")" > /run/vm/bin/modprobe
chmod +x /run/vm/bin/modprobe
echo /run/vm/bin/modprobe > /proc/sys/kernel/modprobe
export PATH=/run/vm/bin:$PATH

ip link set lo up
hostname vnf-vm
ulimit -n 65536
sysctl -qw kernel.bpf_stats_enabled=0 2>/dev/null

# Under TCG, kernel text patched while the other vCPU runs it now and then leaves that vCPU an
# int3 to trip on ("Oops: int3" in __schedule, update_curr; QEMU's multi-threaded TCG). A
# tracepoint's call sites are patched when its probe count goes 0<->1 (static key) and 1<->2
# (static call: the lone probe, or the iterator for several); from two probes on, adding or
# removing one patches nothing. So each event the probes attach to is held on in two trace
# instances (each its own probe, recording nothing) for the whole run; and the cgroup_skb
# hooks' static keys, flipped by the first and last program attached anywhere, are held on by
# the network probe's programs attached to an empty cgroup. Measured on 6.12 with bpftrace
# (arch_static_call_transform, arch_jump_label_transform_queue) over two agent starts and
# stops: with both holds, no update; without the cgroup one, 16 jump label updates (the
# cgroup_bpf keys); and letting the second instance's events go updated the static calls and
# oopsed the guest in update_curr, as CI's 6.12 run had.
mkdir -p /sys/kernel/tracing/instances/vm-hold
for tracing in /sys/kernel/tracing /sys/kernel/tracing/instances/vm-hold; do
  echo 0 > "$tracing/tracing_on"
  echo 4 > "$tracing/buffer_size_kb"
  for event in sched/sched_switch sched/sched_stat_runtime sched/sched_wakeup_new skb/kfree_skb \
               cgroup/cgroup_mkdir cgroup/cgroup_rmdir; do
    echo 1 > "$tracing/events/$event/enable" 2>/dev/null || echo "vm: cannot hold $event on in $tracing"
  done
done
# The scheduler's CFS bandwidth paths sit behind a static key that the first quota set anywhere
# turns on and the last one gone turns off (__cfs_bandwidth_used): the CPU limit tests would
# flip it under the scheduler's feet. An empty cgroup with a quota holds it on.
mkdir -p /sys/fs/cgroup/vm-hold
echo "1000000 100000" > /sys/fs/cgroup/vm-hold/cpu.max 2>/dev/null || echo "vm: cannot hold CFS bandwidth on"
if [[ -f $workdir/bpf/net.bpf.o ]]; then  # run in a build directory, as tests/vm/kernel_suite.sh does
  mkdir -p /sys/fs/bpf/vm-hold
  if bpftool prog loadall "$workdir/bpf/net.bpf.o" /sys/fs/bpf/vm-hold 2>/dev/null; then
    for hook in ingress egress; do
      bpftool cgroup attach /sys/fs/cgroup/vm-hold "$hook" pinned "/sys/fs/bpf/vm-hold/vnf_cgroup_$hook" multi ||
        echo "vm: cannot hold the cgroup_skb $hook hook on"
    done
  else
    echo "vm: cannot load $workdir/bpf/net.bpf.o to hold the cgroup_skb hooks on"
  fi
fi

echo "vm: $(uname -r), $(nproc) CPUs, cgroup2 controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
cd "$workdir" || true
timeout --kill-after=10 "$(cat "$results/timeout")" bash -c "$(cat "$results/command")" 2>&1 | tee "$results/output"
status=${PIPESTATUS[0]}
# A kernel that oopsed or hit a BUG while the command ran fails it, whatever the command said.
if dmesg | grep -q -E 'Oops|BUG:'; then
  echo "vm: the guest kernel logged an oops or a BUG:"
  dmesg | grep -A 30 -E 'Oops|BUG:' | head -60
  [[ $status == 0 ]] && status=1
fi
echo "$status" > "$results/status"
sync
echo o > /proc/sysrq-trigger
sleep 10
