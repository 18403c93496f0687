// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Network probe: what the kernel does not count per VNF. Packets and bytes of a VNF with a
 * namespace of its own are its devices' own counters, which the agent reads at scrape time;
 * nothing here runs per forwarded packet.
 *
 *   kfree_skb             every packet the stack dropped, by the kernel's drop reason and
 *                         network namespace (it fires on drops only, not on consumed packets)
 *   cgroup_skb in/egress  socket traffic by cgroup v2 id, for VNFs in the host namespace, whose
 *                         devices are not theirs; attached to those VNFs' cgroups only
 *
 * Namespaces are keyed by inode, which the agent reads from /proc/PID/ns/net without entering
 * the namespace; it removes the entries of namespaces no VNF uses, so a recycled inode never
 * inherits counts for long. Drops in the host's own namespace are skipped: they are no VNF's.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "probe_types.h"
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384); /* the agent resizes it before load */
	__type(key, struct vnf_drop_key);
	__type(value, u64);
} netns_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096); /* the agent resizes it before load */
	__type(key, u64);
	__type(value, struct vnf_traffic);
} cgroup_traffic SEC(".maps");

/* Events dropped because a map was full, by enum vnf_net_overflow. */
VNF_OVERFLOW_COUNTERS(VNF_NET_OVERFLOW_SLOTS);

/* Inode of the host's network namespace (the agent's own), set before load. */
const volatile __u64 host_netns_inum = 0;

static const struct vnf_traffic zero_traffic;
static const u64 zero_count;

/* tp_btf hands the program trusted pointers: fields are direct (CO-RE relocated) loads. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(vnf_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	struct vnf_drop_key key = {};
	struct net_device *dev;
	struct sock *sk;
	u64 *n;

	/*
	 * Freed after use, not dropped. Kernels before 6.3 have no SKB_CONSUMED (such frees go to
	 * the consume_skb tracepoint there), and 6.0's SKB_NOT_DROPPED_YET came after the reasons.
	 */
	if (bpf_core_enum_value_exists(enum skb_drop_reason, SKB_CONSUMED) &&
	    reason == bpf_core_enum_value(enum skb_drop_reason, SKB_CONSUMED))
		return 0;
	if (bpf_core_enum_value_exists(enum skb_drop_reason, SKB_NOT_DROPPED_YET) &&
	    reason == bpf_core_enum_value(enum skb_drop_reason, SKB_NOT_DROPPED_YET))
		return 0;
	dev = skb->dev;
	sk = skb->sk;
	if (dev)
		key.netns_inode = dev->nd_net.net->ns.inum;
	else if (sk)
		key.netns_inode = sk->__sk_common.skc_net.net->ns.inum;
	else
		return 0;
	if (key.netns_inode == host_netns_inum)
		return 0; /* drops are reported for VNFs with a namespace of their own */
	key.reason = reason;
	n = lookup_or_init(&netns_drops, &key, &zero_count, &overflow, VNF_OVERFLOW_NETNS_DROPS);
	if (n)
		*n += 1;
	return 0;
}

static __always_inline int count_socket_traffic(struct __sk_buff *skb, bool rx)
{
	u64 cgroup_id = bpf_skb_cgroup_id(skb);
	struct vnf_traffic *t;

	t = lookup_or_init(&cgroup_traffic, &cgroup_id, &zero_traffic, &overflow, VNF_OVERFLOW_CGROUP_TRAFFIC);
	if (t) {
		u32 segs = skb->gso_segs > 1 ? skb->gso_segs : 1;

		if (rx) {
			t->rx_packets += segs;
			t->rx_bytes += skb->len;
		} else {
			t->tx_packets += segs;
			t->tx_bytes += skb->len;
		}
	}
	return 1; /* count, never filter */
}

SEC("cgroup_skb/ingress")
int vnf_cgroup_ingress(struct __sk_buff *skb)
{
	return count_socket_traffic(skb, true);
}

SEC("cgroup_skb/egress")
int vnf_cgroup_egress(struct __sk_buff *skb)
{
	return count_socket_traffic(skb, false);
}
