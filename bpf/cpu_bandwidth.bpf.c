// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU bandwidth probe: a cgroup iterator that walks the cpu hierarchy (v2, or v1's cpu) in one
 * pass and records each tracked cgroup with a CFS quota: its quota, period and throttling
 * counters, as cpu.max and cpu.stat (v2) or cpu.cfs_quota_us, cpu.cfs_period_us and cpu.stat
 * (v1) show them, in its slot of `bandwidth_records`: one walk instead of two or three files
 * per cgroup at every scrape.
 *
 * The kernel keeps them in the cgroup's task_group, struct cfs_bandwidth, under a lock the
 * files' readers take and this walk does not: each counter is one aligned word, read whole, and
 * a record may pair a counter with its neighbour from a period earlier, as a reader between two
 * of the files would.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "probe_types.h"
#include "cgroup_iter.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

VNF_CGROUP_RECORDS(bandwidth_records, struct vnf_bandwidth_record);

SEC("iter/cgroup")
int vnf_bandwidth_dump(struct bpf_iter__cgroup *ctx)
{
	struct cgroup *cgrp = ctx->cgroup;
	struct cgroup_subsys_state *css;
	struct vnf_bandwidth_record *r;
	struct task_group *tg;
	u64 quota_ns;

	if (!cgrp) /* end of the walk */
		return 0;
	/* No CONFIG_CGROUP_SCHED, or no CONFIG_CFS_BANDWIDTH: the agent reads no records then. */
	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id) ||
	    !bpf_core_field_exists(struct cfs_bandwidth, nr_throttled))
		return 0;
	css = online_css(cgrp, bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id));
	if (!css)
		return 0;
	r = tracked_record(cgrp);
	if (!r)
		return 0;
	tg = container_of(css, struct task_group, css);
	quota_ns = BPF_CORE_READ(tg, cfs_bandwidth.quota);
	/* RUNTIME_INF: no quota, so no periods to count, and no series (most of a host's cgroups). */
	if (quota_ns == ~0ULL)
		return 0;
	r->quota_ns = quota_ns;
	r->period_ns = BPF_CORE_READ(tg, cfs_bandwidth.period);
	r->periods = (u32)BPF_CORE_READ(tg, cfs_bandwidth.nr_periods);
	r->throttled_periods = (u32)BPF_CORE_READ(tg, cfs_bandwidth.nr_throttled);
	r->throttled_ns = BPF_CORE_READ(tg, cfs_bandwidth.throttled_time);
	r->generation = walk_generation;
	return 0;
}
