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


/*
 * Declares what a cgroup iterator probe writes (mem, cpu_bandwidth, pressure), for the cgroups
 * the agent tracks and no others: `records`, an array of `value_type` that the agent maps into
 * its memory, one slot per tracked cgroup; `record_slots`, a hash from a tracked cgroup's id in
 * the walked hierarchy to its slot, which the agent fills as it tracks and forgets cgroups; and
 * `walk_generation`, which the agent sets before each walk and a record carries once the walk
 * wrote it (a slot of an older generation holds no news: its cgroup was not seen, or its
 * probe chose not to record it). Both maps are sized by the agent before load. A walk thus
 * makes no map update and leaves nothing to delete: a hash lookup per cgroup, plain stores
 * into the tracked ones' slots, which the agent reads with no system call.
 */
#define VNF_CGROUP_RECORDS(records, value_type)                                                  \
	struct {                                                                                  \
		__uint(type, BPF_MAP_TYPE_HASH);                                                  \
		__uint(max_entries, 16384);                                                       \
		__type(key, u64);                                                                 \
		__type(value, u32);                                                               \
	} record_slots SEC(".maps");                                                              \
	struct {                                                                                  \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                                 \
		__uint(map_flags, BPF_F_MMAPABLE);                                                \
		__uint(max_entries, 16384);                                                       \
		__type(key, u32);                                                                 \
		__type(value, value_type);                                                        \
	} records SEC(".maps");                                                                   \
	__u64 walk_generation = 0;                                                                \
	/* The slot of cgroup `cgrp` if the agent tracks it, else NULL. */                         \
	static __always_inline value_type *tracked_record(struct cgroup *cgrp)                    \
	{                                                                                         \
		u64 id = cgrp->kn->id;                                                            \
		u32 *slot = bpf_map_lookup_elem(&record_slots, &id);                              \
                                                                                                  \
		return slot ? bpf_map_lookup_elem(&records, slot) : 0;                            \
	}

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
