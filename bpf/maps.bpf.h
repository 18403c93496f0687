/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map helpers shared by the probes. */
#ifndef VNF_AGENT_MAPS_BPF_H
#define VNF_AGENT_MAPS_BPF_H

#include <asm-generic/errno-base.h>

/*
 * Declares the object's `overflow` array: what its full maps or buffers lost, one per-CPU u64
 * counter per slot of its enum in probe_types.h. Every BPF object whose maps the kernel side
 * fills has exactly one (the cgroup iterators' slots are handed out, and counted, by the agent).
 */
#define VNF_OVERFLOW_COUNTERS(slots)                                                              \
	struct {                                                                                  \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                          \
		__uint(max_entries, slots);                                                       \
		__type(key, u32);                                                                 \
		__type(value, u64);                                                               \
	} overflow SEC(".maps")

/* Adds one to slot `index` of an overflow array. */
static __always_inline void count_overflow(void *overflow_map, __u32 index)
{
	__u64 *n = bpf_map_lookup_elem(overflow_map, &index);

	if (n)
		*n += 1;
}

/*
 * The value under `key`, inserted as `zero` if missing; NULL when the map is full, and then
 * counted in slot `overflow_index` of `overflow_map`, never silently.
 */
static __always_inline void *lookup_or_init(void *map, const void *key, const void *zero,
					    void *overflow_map, __u32 overflow_index)
{
	void *v;
	long err;

	v = bpf_map_lookup_elem(map, key);
	if (v)
		return v;
	err = bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	if (err && err != -EEXIST) { /* EEXIST: another CPU inserted it first */
		count_overflow(overflow_map, overflow_index);
		return 0;
	}
	return bpf_map_lookup_elem(map, key);
}

#endif /* VNF_AGENT_MAPS_BPF_H */
