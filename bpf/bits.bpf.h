/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small arithmetic helpers shared by the probes. */
#ifndef VNF_AGENT_BITS_BPF_H
#define VNF_AGENT_BITS_BPF_H

/* floor(log2(v)) for v > 0, 0 for v == 0; branch-light so the verifier sees a bounded result. */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xFFFFFFFFULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

#endif /* VNF_AGENT_BITS_BPF_H */
