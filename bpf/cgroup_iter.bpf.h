/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the cgroup iterator probes (mem, cpu_bandwidth, pressure) share. The iterator hands
 * them the cgroup as a BTF pointer, so its fields, and those of what it points to by type, are
 * read with plain loads (which the verifier guards, as it does bpf_probe_read_kernel, at a
 * fraction of a helper call's cost: at a thousand cgroups, three walks per scrape spent a
 * millisecond in copy_from_kernel_nofault). Only where a struct is reached by container_of
 * (mem_cgroup, task_group around their css) do the probes need BPF_CORE_READ.
 */
#ifndef VNF_AGENT_CGROUP_ITER_BPF_H
#define VNF_AGENT_CGROUP_ITER_BPF_H

#include "maps.bpf.h"

/*
 * Declares what a cgroup iterator probe writes (mem, cpu_bandwidth, pressure): the `records`
 * hash of `value_type` keyed by cgroup id (u64), sized by the agent before load; its
 * `overflow` array with `slots` slots; and `walk_generation`, which the agent sets before each
 * walk and the records carry (those of older walks belong to removed cgroups).
 */
#define VNF_CGROUP_RECORDS(records, value_type, slots)                                            \
	struct {                                                                                  \
		__uint(type, BPF_MAP_TYPE_HASH);                                                  \
		__uint(max_entries, 16384);                                                       \
		__type(key, u64);                                                                 \
		__type(value, value_type);                                                        \
	} records SEC(".maps");                                                                   \
	VNF_OVERFLOW_COUNTERS(slots);                                                             \
	__u64 walk_generation = 0

/*
 * The css of controller `subsys` (a relocated enum cgroup_subsys_id) in `cgrp`; NULL where
 * the controller is not enabled for it (v2: its parent does not delegate it), or where the
 * cgroup was removed and only waits to be freed (dying memcgs, often thousands on a busy node,
 * stay in the walk: they are no VNF's, and would only fill the maps).
 */
static __always_inline struct cgroup_subsys_state *online_css(struct cgroup *cgrp, int subsys)
{
	struct cgroup_subsys_state *css = cgrp->subsys[subsys];

	if (!css || !(css->flags & CSS_ONLINE))
		return 0;
	return css;
}

#endif /* VNF_AGENT_CGROUP_ITER_BPF_H */
