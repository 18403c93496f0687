// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU probe: per-cgroup on-CPU time and run-queue wait, counted by the scheduler's hooks.
 *
 * On-CPU time: whenever the scheduler updates a task's runtime (sched_stat_runtime: ticks,
 * enqueue, dequeue), and when it is switched out or exits, the growth of its
 * se.sum_exec_runtime since it was last charged goes to its current cgroup. That is the
 * quantity the kernel's own cgroup accounting charges: it already leaves out IRQ time and, on
 * VMs, stolen time. Keeping the charged mark per task, not per CPU, means an event that never
 * reaches the probe delays a charge instead of losing it. Tasks born after the probe loaded
 * are charged from birth; tasks that already ran are charged from their first update.
 *
 * Run-queue wait: a task is "enqueued" when woken or when preempted while still runnable, and
 * waits until it is switched in.
 *
 * Cgroup key (cgroup_key_mode, set by the agent before load):
 *   V2          the task's default-hierarchy cgroup id (pure cgroup v2 hosts, or any host
 *               whose cpu controller is on v2);
 *   V1_CPUACCT  the task's cgroup in the v1 cpuacct hierarchy (hybrid and v1 hosts: that is
 *               where runtimes place containers and where the kernel's own CPU accounting
 *               lives, so the agent's numbers line up with cpuacct.usage);
 *   V1_CPU      the v1 cpu hierarchy, when cpuacct is not mounted.
 * A cgroup id is the cgroup directory's inode number in that hierarchy.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "probe_types.h"
#include "bits.bpf.h"
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define TASK_RUNNING 0
#define LIVE_CHARGE_MIN_NS 500000 /* below a tick at HZ=1000 */
/*
 * A task's runtime is charged to its cgroup's map entry once at least this much has built up
 * (or when it exits): a switch-heavy task then costs a map update per millisecond of CPU, not
 * per switch. Counters trail by less than this per task, and nothing is lost.
 */
#define CHARGE_BATCH_NS 1000000

const volatile int cgroup_key_mode = VNF_CGROUP_KEY_V2;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096); /* the agent resizes it before load (--max-cgroups) */
	__type(key, u64);
	__type(value, struct vnf_cpu_stats);
} cpu_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096); /* resized with cpu_stats */
	__type(key, u64);
	__type(value, struct vnf_runq_hist);
} runq_hist SEC(".maps");

/* Events dropped because a map was full, by enum vnf_overflow_index. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VNF_OVERFLOW_SLOTS);
	__type(key, u32);
	__type(value, u64);
} overflow SEC(".maps");

/* Per-task scheduling marks, freed with the task. */
struct task_marks {
	u64 enqueued_ns;     /* when it became runnable and started waiting; 0 while it runs */
	u64 charged_runtime; /* se.sum_exec_runtime already charged to a cgroup */
	u64 baseline_known;  /* charged_runtime is valid (set at birth or first switch) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_marks);
} marks SEC(".maps");

/* Kernels before 5.14 call the task state field `state`. */
struct task_struct___pre_5_14 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return ((struct task_struct___pre_5_14 *)t)->state;
}

/*
 * The hot paths read task fields by direct loads (tp_btf hands the programs trusted task
 * pointers; the loads are CO-RE relocated and cost a memory access each), not through
 * bpf_probe_read helper calls, which cost tens of nanoseconds apiece.
 */

/* The task's cgroup id in the v1 hierarchy of controller `subsys_id` (0 if not built in). */
#define v1_cgroup_id(t, subsys_id)                                                              \
	(bpf_core_enum_value_exists(enum cgroup_subsys_id, subsys_id)                             \
		 ? (t)->cgroups->subsys[bpf_core_enum_value(enum cgroup_subsys_id, subsys_id)]->cgroup->kn->id \
		 : 0)

static __always_inline u64 task_cgroup_id(struct task_struct *t)
{
	if (cgroup_key_mode == VNF_CGROUP_KEY_V1_CPUACCT)
		return v1_cgroup_id(t, cpuacct_cgrp_id);
	if (cgroup_key_mode == VNF_CGROUP_KEY_V1_CPU)
		return v1_cgroup_id(t, cpu_cgrp_id);
	return t->cgroups->dfl_cgrp->kn->id;
}

static const struct vnf_cpu_stats zero_stats;
static const struct vnf_runq_hist zero_hist;

static __always_inline struct task_marks *marks_of(struct task_struct *t, bool create)
{
	return bpf_task_storage_get(&marks, t, 0, create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/* Charges what `t` ran since its last charge to its cgroup (batched unless `now`). */
static __always_inline void charge_runtime(struct task_struct *t, struct task_marks *m, bool now)
{
	u64 runtime = t->se.sum_exec_runtime;
	struct vnf_cpu_stats *s;
	u64 cgroup_id;

	if (m->baseline_known && (runtime <= m->charged_runtime ||
				  (!now && runtime - m->charged_runtime < CHARGE_BATCH_NS)))
		return;
	if (m->baseline_known) {
		cgroup_id = task_cgroup_id(t);
		s = lookup_or_init(&cpu_stats, &cgroup_id, &zero_stats, &overflow, VNF_OVERFLOW_CPU_STATS);
		if (s)
			s->on_cpu_ns += runtime - m->charged_runtime;
	}
	m->charged_runtime = runtime;
	m->baseline_known = 1;
}

static __always_inline void account_wait(struct task_struct *t, u64 now)
{
	struct task_marks *m = marks_of(t, false);
	struct vnf_runq_hist *h;
	u64 waited, cgroup_id;
	u32 slot;

	if (!m || !m->enqueued_ns)
		return;
	waited = now - m->enqueued_ns;
	m->enqueued_ns = 0;
	cgroup_id = task_cgroup_id(t);
	h = lookup_or_init(&runq_hist, &cgroup_id, &zero_hist, &overflow, VNF_OVERFLOW_RUNQ_HIST);
	if (h) {
		slot = log2_u64(waited / 1000);
		if (slot >= VNF_RUNQ_HIST_SLOTS)
			slot = VNF_RUNQ_HIST_SLOTS - 1;
		__sync_fetch_and_add(&h->wait_ns, waited);
		__sync_fetch_and_add(&h->slots[slot], 1);
	}
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(vnf_sched_wakeup, struct task_struct *p)
{
	struct task_marks *m = marks_of(p, true);

	if (m)
		m->enqueued_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(vnf_sched_wakeup_new, struct task_struct *p)
{
	struct task_marks *m = marks_of(p, true);

	if (m) {
		m->enqueued_ns = bpf_ktime_get_ns();
		m->charged_runtime = 0; /* a new task's runtime starts at zero */
		m->baseline_known = 1;
	}
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(vnf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	u64 now = bpf_ktime_get_ns();
	struct task_marks *m;

	if (prev->pid) { /* pid 0 is this CPU's idle task */
		m = marks_of(prev, true);
		if (m) {
			/* The scheduler brought prev's runtime up to date before this tracepoint. */
			charge_runtime(prev, m, false);
			if (task_state(prev) == TASK_RUNNING)
				m->enqueued_ns = now; /* preempted: waits from now on */
		}
	}
	if (next->pid)
		account_wait(next, now);
	return 0;
}

/*
 * Charges the running task at scheduler ticks, so a task that never leaves its CPU (a
 * poll-mode packet loop) is counted as it runs, not only when it is switched out. On kernels
 * before 6.8 this fires for fair-class tasks only; real-time tasks are then charged at their
 * switches.
 */
SEC("tp_btf/sched_stat_runtime")
int BPF_PROG(vnf_sched_stat_runtime, struct task_struct *p, u64 delta)
{
	struct task_marks *m;

	/*
	 * Only the scheduler tick's updates (a tick's worth of running) are worth charging here:
	 * the many short updates of a switch-heavy task are charged at its next switch anyway.
	 */
	if (delta < LIVE_CHARGE_MIN_NS)
		return 0;
	m = marks_of(p, true);
	if (m)
		charge_runtime(p, m, false);
	return 0;
}

/* Charges an exiting task before its final switch, in case that switch is not seen. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(vnf_sched_process_exit, struct task_struct *p)
{
	struct task_marks *m = marks_of(p, false);

	if (m)
		charge_runtime(p, m, true);
	return 0;
}
