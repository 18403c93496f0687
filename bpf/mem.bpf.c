// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Memory probe: a cgroup iterator that walks a hierarchy in one pass and writes each
 * cgroup's memcg page counters (usage, limit) and OOM kill count as a struct
 * vnf_memcg_record. One read() of the iterator returns what would otherwise take three file
 * reads per cgroup. Works on the v2 hierarchy and on the v1 memory hierarchy alike: both keep
 * the counters in struct mem_cgroup, and both files show memory_events[MEMCG_OOM_KILL].
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "probe_types.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("iter/cgroup")
int vnf_memcg_dump(struct bpf_iter__cgroup *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct cgroup *cgrp = ctx->cgroup;
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg;
	struct vnf_memcg_record r;
	void *events;

	if (!cgrp) /* end of the walk */
		return 0;
	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	css = BPF_CORE_READ(cgrp, subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)]);
	if (!css)
		return 0; /* the memory controller is not enabled for this cgroup */
	memcg = container_of(css, struct mem_cgroup, css);
	r.cgroup_id = BPF_CORE_READ(cgrp, kn, id);
	r.usage_pages = BPF_CORE_READ(memcg, memory.usage.counter);
	r.max_pages = BPF_CORE_READ(memcg, memory.max);
	/* The event's index is relocated: enum memcg_memory_event has grown over the releases. */
	events = (void *)memcg + bpf_core_field_offset(struct mem_cgroup, memory_events);
	bpf_probe_read_kernel(&r.oom_kills, sizeof(r.oom_kills),
			      events + bpf_core_enum_value(enum memcg_memory_event, MEMCG_OOM_KILL) *
					       sizeof(atomic_long_t));
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}
