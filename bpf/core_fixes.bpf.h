/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel fields that moved or changed name between the releases the probes load on, each read
 * the way the running kernel has it (decided at load by CO-RE). One place for all of them, each
 * with the commit that changed it.
 */
#ifndef VNF_AGENT_CORE_FIXES_BPF_H
#define VNF_AGENT_CORE_FIXES_BPF_H

#include <bpf/bpf_core_read.h>

/*
 * commit 2f064a59a11f ("sched: Change task_struct::state", v5.14) renamed task_struct::state
 * to __state and made it an unsigned int.
 */
struct task_struct___pre_5_14 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return ((struct task_struct___pre_5_14 *)t)->state;
}

#endif /* VNF_AGENT_CORE_FIXES_BPF_H */
