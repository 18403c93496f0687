// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Pressure probe: a cgroup iterator that walks the unified hierarchy in one pass and records
 * each tracked cgroup's PSI stall totals (the "total=" of cpu.pressure, memory.pressure,
 * io.pressure) in its slot of `pressure_records`: one walk instead of three files per cgroup
 * at every scrape.
 *
 * The totals are the kernel's own, group->total[PSI_AVGS], which it brings up to date from its
 * per-CPU times every two seconds (PSI_FREQ) while the group has tasks changing state, and
 * whenever one of the group's files is read. So a record is never ahead of what the file would
 * show, and at most two seconds of stall behind it; the per-CPU times themselves are kept on
 * the scheduler's clock under the group's mutex, neither of which a BPF program can have.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "probe_types.h"
#include "cgroup_iter.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

VNF_CGROUP_RECORDS(pressure_records, struct vnf_pressure_record);

/*
 * The kernel declares u64 total[NR_PSI_AGGREGATORS][NR_PSI_STATES - 1]. Older pahole wrote
 * that into BTF flattened, as total[12] (so does this project's vmlinux.h); newer pahole keeps
 * it nested. A CO-RE relocation matches only the layout it was compiled with, so both are
 * spelled out here and the kernel's own decides.
 */
struct psi_group___nested {
	u64 total[2][6];
} __attribute__((preserve_access_index));
struct psi_group___flat {
	u64 total[12];
} __attribute__((preserve_access_index));

/* total[PSI_AVGS][state] of `group`, in ns; PSI_AVGS is row 0, whatever the rows' length. */
static __always_inline u64 stall_total(struct psi_group *group, int state)
{
	if (bpf_core_field_exists(struct psi_group___nested, total))
		return ((struct psi_group___nested *)group)->total[0][state];
	return ((struct psi_group___flat *)group)->total[state];
}

SEC("iter/cgroup")
int vnf_pressure_dump(struct bpf_iter__cgroup *ctx)
{
	struct cgroup *cgrp = ctx->cgroup;
	struct vnf_pressure_record *r;
	struct psi_group *group;

	if (!cgrp) /* end of the walk */
		return 0;
	if (!(cgrp->self.flags & CSS_ONLINE))
		return 0; /* removed, and only waiting to be freed */
	/* No CONFIG_PSI; or NULL when it is off (psi=0): the files are absent then too. */
	if (!bpf_core_field_exists(cgrp->psi))
		return 0;
	group = cgrp->psi;
	if (!group || !group->pcpu)
		return 0;
	/* Switched off for this cgroup (cgroup.pressure 0, Linux 6.1), which hides its files. */
	if (bpf_core_field_exists(group->enabled) && !group->enabled)
		return 0;
	r = tracked_record(cgrp);
	if (!r)
		return 0;
	r->cpu_some_ns = stall_total(group, bpf_core_enum_value(enum psi_states, PSI_CPU_SOME));
	r->has_cpu_full = 0;
	if (bpf_core_enum_value_exists(enum psi_states, PSI_CPU_FULL)) { /* Linux 5.13 */
		r->cpu_full_ns = stall_total(group, bpf_core_enum_value(enum psi_states, PSI_CPU_FULL));
		r->has_cpu_full = 1;
	}
	r->memory_some_ns = stall_total(group, bpf_core_enum_value(enum psi_states, PSI_MEM_SOME));
	r->memory_full_ns = stall_total(group, bpf_core_enum_value(enum psi_states, PSI_MEM_FULL));
	r->io_some_ns = stall_total(group, bpf_core_enum_value(enum psi_states, PSI_IO_SOME));
	r->io_full_ns = stall_total(group, bpf_core_enum_value(enum psi_states, PSI_IO_FULL));
	r->generation = walk_generation;
	return 0;
}
