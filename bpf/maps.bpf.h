/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map helpers shared by the probes. */
#ifndef VNF_AGENT_MAPS_BPF_H
#define VNF_AGENT_MAPS_BPF_H

#define VNF_EEXIST 17

/* Adds one to slot `index` of a per-CPU u64 array of overflow counters. */
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
	if (err && err != -VNF_EEXIST) { /* EEXIST: another CPU inserted it first */
		count_overflow(overflow_map, overflow_index);
		return 0;
	}
	return bpf_map_lookup_elem(map, key);
}

#endif /* VNF_AGENT_MAPS_BPF_H */
