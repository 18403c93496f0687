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
for d in /tmp /run /var/tmp /var/lib /var/log /root; do mount -t tmpfs -o mode=0755 tmpfs "$d"; done
chmod 1777 /tmp /var/tmp
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo "+cpu +memory +io +pids" > /sys/fs/cgroup/cgroup.subtree_control

mkdir -p /run/vm/results
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=512000 results /run/vm/results
results=/run/vm/results

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

echo "vm: $(uname -r), $(nproc) CPUs, cgroup2 controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
cd "$(cat "$results/workdir")" || true
timeout --kill-after=10 "$(cat "$results/timeout")" bash -c "$(cat "$results/command")" 2>&1 | tee "$results/output"
echo "${PIPESTATUS[0]}" > "$results/status"
sync
echo o > /proc/sysrq-trigger
sleep 10
