// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Memory probe: a cgroup iterator that walks a hierarchy in one pass and records each tracked
 * cgroup's memcg page counters (usage, limit) and OOM kill count in its slot of
 * `memcg_records`, which the agent reads where it maps it: one walk instead of three file reads
 * per cgroup. Works on the v2 hierarchy and on the v1 memory hierarchy alike: both keep the
 * counters in struct mem_cgroup, and both files show memory_events[MEMCG_OOM_KILL].
 *
 * The records go to a map, not to the iterator's output: a cgroup iterator must finish its walk
 * within one read() of a few pages (the kernel refuses to resume it once cgroup_mutex was let
 * go), which 32-byte records would outgrow at about a thousand cgroups.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "probe_types.h"
#include "cgroup_iter.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

VNF_CGROUP_RECORDS(memcg_records, struct vnf_memcg_record);

SEC("iter/cgroup")
int vnf_memcg_dump(struct bpf_iter__cgroup *ctx)
{
	struct cgroup *cgrp = ctx->cgroup;
	struct cgroup_subsys_state *css;
	struct vnf_memcg_record *r;
	struct mem_cgroup *memcg;
	void *events;

	if (!cgrp) /* end of the walk */
		return 0;
	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	css = online_css(cgrp, bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id));
	if (!css)
		return 0;
	r = tracked_record(cgrp);
	if (!r)
		return 0;
	memcg = container_of(css, struct mem_cgroup, css);
	r->usage_pages = BPF_CORE_READ(memcg, memory.usage.counter);
	r->max_pages = BPF_CORE_READ(memcg, memory.max);
	/* The event's index is relocated: enum memcg_memory_event has grown over the releases. */
	events = (void *)memcg + bpf_core_field_offset(struct mem_cgroup, memory_events);
	bpf_probe_read_kernel(&r->oom_kills, sizeof(r->oom_kills),
			      events + bpf_core_enum_value(enum memcg_memory_event, MEMCG_OOM_KILL) *
					       sizeof(atomic_long_t));
	r->generation = walk_generation;
	return 0;
}
