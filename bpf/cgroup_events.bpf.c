// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cgroup events: every cgroup created or removed, in any hierarchy, through a ring buffer, so
 * the agent re-discovers VNFs at once instead of waiting for its periodic resync. The record is
 * committed before mkdir()/rmdir() returns, so a scrape that drains the buffer first never misses
 * a change that happened before it. A full buffer is counted: the agent then resyncs anyway.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "probe_types.h"
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Events lost because the ring buffer was full, by enum vnf_cgroup_events_overflow. */
VNF_OVERFLOW_COUNTERS(VNF_CGROUP_EVENTS_OVERFLOW_SLOTS);

static __always_inline void emit(struct cgroup *cgrp, u64 kind)
{
	struct vnf_cgroup_event e = {
		.cgroup_id = BPF_CORE_READ(cgrp, kn, id),
		.kind = kind,
	};

	if (bpf_ringbuf_output(&events, &e, sizeof(e), 0))
		count_overflow(&overflow, VNF_OVERFLOW_CGROUP_EVENTS);
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(vnf_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	emit(cgrp, VNF_CGROUP_MKDIR);
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(vnf_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	emit(cgrp, VNF_CGROUP_RMDIR);
	return 0;
}
