// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU probe: per-cgroup on-CPU time and run-queue wait, read from the counters the scheduler
 * already keeps per task rather than timed by the probe.
 *
 * On-CPU time is the growth of a task's se.sum_exec_runtime: the quantity the kernel's own
 * cgroup accounting charges (it already leaves out IRQ time and, on VMs, stolen time).
 *
 * Run-queue wait is the growth of its schedstat counters (CONFIG_SCHED_INFO; what
 * /proc/PID/schedstat shows): sched_info.run_delay, time spent runnable on a run queue, and
 * sched_info.pcount, switch-ins. The kernel adds to both at switch-in, which comes after the
 * sched_switch tracepoint, so when a task is switched out their growth since it was last seen
 * is the wait that preceded this run. Reading the kernel's counters instead of timestamping
 * wakeups means nothing runs at wakeup or switch-in, and the numbers are the kernel's own.
 *
 * Cost: a switch looks only at the task leaving the CPU, with one task-storage lookup and no
 * map update. What the task owes (its debt) stays in its storage and is added to the shared
 * maps, a hash lookup and atomic adds, only when it has run CHARGE_BATCH_NS since its last
 * flush, when FLUSH_AGE_NS have passed since then, at scheduler ticks (so a task that never
 * leaves its CPU is counted as it runs) and at its final switch. Keeping the marks per task,
 * not per CPU, means an event that never reaches the probe delays a charge instead of losing
 * it. Tasks born after the probe loaded are charged from birth; tasks that already ran, from
 * when they are first seen. A debt goes to the cgroup the task is in at the flush: a task that
 * moves takes up to one batch with it.
 *
 * Without CONFIG_SCHED_INFO the probe charges on-CPU time only (the agent then reports no
 * run-queue series).
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
#include "core_fixes.bpf.h"
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define TASK_DEAD 0x80
#define LIVE_CHARGE_MIN_NS 500000 /* below a tick at HZ=1000 */
/*
 * A task's debt is added to the maps once it has run this long since the last flush: a
 * switch-heavy task then costs map updates per millisecond of CPU, not per switch.
 */
#define CHARGE_BATCH_NS 1000000
/*
 * ... or once this long has passed (by the run-queue clock) since its last flush, so that a
 * task that switches often but runs little is not behind by more than this. A task that sleeps
 * keeps its debt until it next leaves a CPU or exits.
 */
#define FLUSH_AGE_NS 100000000

const volatile int cgroup_key_mode = VNF_CGROUP_KEY_V2;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096); /* the agent resizes it before load (from --max-vnfs) */
	__type(key, u64);
	__type(value, struct vnf_cpu_stats);
} cpu_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096); /* resized with cpu_stats */
	__type(key, u64);
	__type(value, struct vnf_runq_hist);
} runq_hist SEC(".maps");

/* Events dropped because a map was full, by enum vnf_cpu_overflow. */
VNF_OVERFLOW_COUNTERS(VNF_CPU_OVERFLOW_SLOTS);

/*
 * Per-task marks, freed with the task: how far the task's own counters have been accounted,
 * and the debt (waits counted from them, not yet added to runq_hist).
 */
struct task_marks {
	u64 runtime;    /* se.sum_exec_runtime already charged to cpu_stats */
	u64 run_delay;  /* sched_info.run_delay already counted into the debt */
	u64 pcount;     /* sched_info.pcount likewise */
	u64 flushed_at; /* run-queue clock (sched_info.last_arrival) at the last flush */
	u64 wait_ns;    /* debt: run-queue wait ... */
	u32 waits;      /* ... over this many waits ... */
	u32 slots[VNF_RUNQ_HIST_SLOTS]; /* ... by log2(us) slot */
	u32 baseline_known; /* the fields above are valid (set at birth or when first seen) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_marks);
} marks SEC(".maps");

/* Whether this kernel keeps per-task schedstat counters (decided at load by CO-RE). */
#define has_sched_info(t) bpf_core_field_exists((t)->sched_info)

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

static __always_inline struct task_marks *marks_of(struct task_struct *t)
{
	return bpf_task_storage_get(&marks, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

/* A task first seen now: what it ran and waited before is not ours to charge. */
static __always_inline void set_baseline(struct task_struct *t, struct task_marks *m)
{
	m->runtime = t->se.sum_exec_runtime;
	if (has_sched_info(t)) {
		m->run_delay = t->sched_info.run_delay;
		m->pcount = t->sched_info.pcount;
		m->flushed_at = t->sched_info.last_arrival;
	}
	m->baseline_known = 1;
}

/*
 * 64-bit and fenced: the clamp must bound the very register that indexes slots. With a u32
 * the compiler zero-extends a copy for the comparison and indexes with the original, which
 * 6.1's verifier cannot link ("unbounded memory access"); newer ones can.
 */
static __always_inline u64 wait_slot(u64 wait_ns)
{
	u64 slot = log2_u64(wait_ns / 1000);

	if (slot > VNF_RUNQ_HIST_SLOTS - 1)
		slot = VNF_RUNQ_HIST_SLOTS - 1;
	barrier_var(slot);
	return slot;
}

/* Adds the waits that preceded t's switch-ins since it was last seen to its debt. */
static __always_inline void count_waits(struct task_struct *t, struct task_marks *m)
{
	u64 run_delay = t->sched_info.run_delay;
	u64 pcount = t->sched_info.pcount;
	u64 runs = pcount - m->pcount;
	u64 waited = run_delay - m->run_delay;

	/* A wait ends at a switch-in; delay added before one (when moved while queued) is the next's. */
	if (!runs)
		return;
	/* Normally one run; more only if switch-outs were missed: they get the average wait. */
	m->slots[wait_slot(runs == 1 ? waited : waited / runs)] += runs;
	m->waits += runs;
	m->wait_ns += waited;
	m->run_delay = run_delay;
	m->pcount = pcount;
}

static __always_inline bool flush_due(struct task_struct *t, struct task_marks *m)
{
	if (t->se.sum_exec_runtime - m->runtime >= CHARGE_BATCH_NS)
		return true;
	/* last_arrival is rq->clock, comparable across CPUs; a skew only makes a flush early. */
	return has_sched_info(t) && t->sched_info.last_arrival - m->flushed_at >= FLUSH_AGE_NS;
}

static __always_inline void flush_waits(u64 *cgroup_id, struct task_marks *m)
{
	struct vnf_runq_hist *h;

	h = lookup_or_init(&runq_hist, cgroup_id, &zero_hist, &overflow, VNF_OVERFLOW_RUNQ_HIST);
	if (h) {
		__sync_fetch_and_add(&h->wait_ns, m->wait_ns);
		for (int i = 0; i < VNF_RUNQ_HIST_SLOTS; i++)
			if (m->slots[i])
				__sync_fetch_and_add(&h->slots[i], m->slots[i]);
	}
	m->wait_ns = 0;
	m->waits = 0;
	__builtin_memset(m->slots, 0, sizeof(m->slots));
}

/* Adds t's debt to its cgroup's map entries (a full map drops it, counted in `overflow`). */
static __always_inline void flush(struct task_struct *t, struct task_marks *m)
{
	u64 runtime = t->se.sum_exec_runtime;
	u64 cgroup_id = task_cgroup_id(t);
	struct vnf_cpu_stats *s;

	if (runtime != m->runtime) {
		s = lookup_or_init(&cpu_stats, &cgroup_id, &zero_stats, &overflow, VNF_OVERFLOW_CPU_STATS);
		if (s)
			s->on_cpu_ns += runtime - m->runtime;
		m->runtime = runtime;
	}
	if (has_sched_info(t)) {
		if (m->waits)
			flush_waits(&cgroup_id, m);
		m->flushed_at = t->sched_info.last_arrival;
	}
}

/* Accounts t, which is on its CPU or just leaving it; `now` flushes its debt at once. */
static __always_inline void account(struct task_struct *t, bool now)
{
	struct task_marks *m = marks_of(t);

	if (!m)
		return;
	if (!m->baseline_known) {
		set_baseline(t, m);
		return;
	}
	if (has_sched_info(t))
		count_waits(t, m);
	if (now || flush_due(t, m))
		flush(t, m);
}

/*
 * A new task's counters start at zero, so it is charged from birth, its first wait included.
 * Runs once per fork, and only creates the storage its first switch would create anyway.
 */
SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(vnf_sched_wakeup_new, struct task_struct *p)
{
	struct task_marks *m = marks_of(p);

	if (!m)
		return 0;
	/* Just enqueued: its debt starts now (last_queued reads the clock last_arrival does). */
	if (has_sched_info(p))
		m->flushed_at = p->sched_info.last_queued;
	m->baseline_known = 1;
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(vnf_sched_switch, bool preempt, struct task_struct *prev)
{
	/*
	 * pid 0 is this CPU's idle task. An exiting task is flushed at its last switch, where its
	 * counters are final, not at sched_process_exit: the exit's own work (unmapping memory,
	 * closing files) comes after that tracepoint and is most of a short-lived process's CPU.
	 */
	if (prev->pid)
		account(prev, task_state(prev) == TASK_DEAD);
	return 0;
}

/*
 * Flushes the running task at scheduler ticks, so a task that never leaves its CPU (a
 * poll-mode packet loop) is counted as it runs, not only when it is switched out. On kernels
 * before 6.8 this fires for fair-class tasks only; real-time tasks are then charged at their
 * switches.
 */
SEC("tp_btf/sched_stat_runtime")
int BPF_PROG(vnf_sched_stat_runtime, struct task_struct *p, u64 delta)
{
	/*
	 * Only the scheduler tick's updates (a tick's worth of running) are worth a flush: the
	 * many short updates of a switch-heavy task are accounted at its next switch anyway.
	 */
	if (delta >= LIVE_CHARGE_MIN_NS)
		account(p, true);
	return 0;
}
