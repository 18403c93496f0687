/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Map keys and values shared by the BPF probes (bpf/<probe>.bpf.c) and the agent (agent/).
 * This is the only header that crosses the kernel/user boundary: plain fixed-width
 * types, no pointers, no padding surprises.
 */
#ifndef VNF_AGENT_PROBE_TYPES_H
#define VNF_AGENT_PROBE_TYPES_H

#ifdef __cplusplus
#include <cstdint>
typedef std::uint64_t vnf_u64;
#else
typedef __u64 vnf_u64;
#endif

/*
 * Run-queue latency histogram: slot i counts waits in [2^i, 2^(i+1)) microseconds,
 * slot 0 also takes waits under 1 us, and the last slot takes everything longer.
 */
#define VNF_RUNQ_HIST_SLOTS 20

/* How the CPU probe identifies a task's cgroup (set before load, see cpu.bpf.c). */
enum vnf_cgroup_key_mode {
	VNF_CGROUP_KEY_V2 = 0,         /* default (unified) hierarchy id */
	VNF_CGROUP_KEY_V1_CPUACCT = 1, /* v1 cpuacct hierarchy id */
	VNF_CGROUP_KEY_V1_CPU = 2,     /* v1 cpu hierarchy id */
};

/* Value of the per-CPU `cpu_stats` hash, keyed by cgroup id (u64). */
struct vnf_cpu_stats {
	vnf_u64 on_cpu_ns; /* time the cgroup's tasks ran */
};

/*
 * Value of the `runq_hist` hash, keyed by cgroup id (u64): run-queue waits, in total and by
 * log2(us) slot. Shared by all CPUs (atomic adds) so that its size does not grow with the CPU
 * count; updated only when a task's batched waits are flushed, not at every switch.
 */
struct vnf_runq_hist {
	vnf_u64 wait_ns; /* time the cgroup's tasks were runnable but waited */
	vnf_u64 slots[VNF_RUNQ_HIST_SLOTS];
};

/*
 * What a probe lost because a map or buffer was full. Every BPF object that fills maps counts it
 * the same way: in a per-CPU array of u64 named `overflow`, one slot per map, indexed by the
 * object's enum below (count_overflow() in maps.bpf.h; bpf::OverflowCounters in the agent). The
 * cgroup iterators fill none: the agent hands out their slots and counts the cgroups it had
 * none left for.
 */
enum vnf_cpu_overflow { VNF_OVERFLOW_CPU_STATS, VNF_OVERFLOW_RUNQ_HIST, VNF_CPU_OVERFLOW_SLOTS };
enum vnf_net_overflow { VNF_OVERFLOW_NETNS_DROPS, VNF_OVERFLOW_CGROUP_TRAFFIC, VNF_NET_OVERFLOW_SLOTS };
enum vnf_cgroup_events_overflow { VNF_OVERFLOW_CGROUP_EVENTS, VNF_CGROUP_EVENTS_OVERFLOW_SLOTS };

/*
 * A slot of the memory cgroup iterator's `memcg_records` array (mem.bpf.c): a tracked cgroup's
 * memcg page counters, in pages, and its OOM kill count. max_pages is the
 * kernel's "unlimited" (LONG_MAX / PAGE_SIZE) when no limit is set. oom_kills is what
 * memory.events / memory.oom_control call oom_kill: kills in the cgroup and below it.
 * generation is the walk that wrote the record; an older one was not seen by the last walk.
 */
struct vnf_memcg_record {
	vnf_u64 usage_pages;
	vnf_u64 max_pages;
	vnf_u64 oom_kills;
	vnf_u64 generation;
};

/*
 * A slot of the CPU bandwidth iterator's `bandwidth_records` array (cpu_bandwidth.bpf.c), for
 * a tracked cgroup of the cpu hierarchy with a quota: the CFS quota and period in ns
 * (the kernel's ~0 for "max", or -1 in v1, is not recorded), and cpu.stat's nr_periods,
 * nr_throttled and throttled time.
 */
struct vnf_bandwidth_record {
	vnf_u64 quota_ns;
	vnf_u64 period_ns;
	vnf_u64 periods;
	vnf_u64 throttled_periods;
	vnf_u64 throttled_ns;
	vnf_u64 generation;
};

/*
 * A slot of the pressure iterator's `pressure_records` array (pressure.bpf.c), for a tracked
 * cgroup of the unified hierarchy: the PSI stall totals of its *.pressure files, in ns.
 * has_cpu_full is 0 on kernels whose cpu.pressure has no "full" line (before 5.13).
 */
struct vnf_pressure_record {
	vnf_u64 cpu_some_ns;
	vnf_u64 cpu_full_ns;
	vnf_u64 memory_some_ns;
	vnf_u64 memory_full_ns;
	vnf_u64 io_some_ns;
	vnf_u64 io_full_ns;
	vnf_u64 has_cpu_full;
	vnf_u64 generation;
};

/*
 * Value of the per-CPU `cgroup_traffic` hash (net.bpf.c), keyed by a socket's cgroup v2 id:
 * traffic of host-network VNFs, which share the host namespace and can only be told apart by
 * their sockets. Counted at the socket, so bytes are IP bytes and a GSO skb counts its segments.
 */
struct vnf_traffic {
	vnf_u64 rx_packets;
	vnf_u64 rx_bytes;
	vnf_u64 tx_packets;
	vnf_u64 tx_bytes;
};

/* Key of the per-CPU `netns_drops` hash (value: u64 packets). */
struct vnf_drop_key {
	vnf_u64 netns_inode;
	vnf_u64 reason; /* enum skb_drop_reason */
};

/* A record of cgroup_events.bpf.c's ring buffer: a cgroup was created or removed. */
enum vnf_cgroup_event_kind {
	VNF_CGROUP_MKDIR = 1,
	VNF_CGROUP_RMDIR = 2,
};

struct vnf_cgroup_event {
	vnf_u64 cgroup_id;
	vnf_u64 kind; /* enum vnf_cgroup_event_kind */
};

#endif /* VNF_AGENT_PROBE_TYPES_H */
