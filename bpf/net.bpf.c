// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Network probe: traffic and drops per network namespace, counted at the devices so that
 * forwarded traffic (what a firewall or router mostly handles) counts, not just sockets.
 *
 *   netif_receive_skb     every packet a device of the namespace received
 *   net_dev_start_xmit    every packet handed to a device of the namespace for sending
 *   kfree_skb             every packet dropped, by the kernel's drop reason
 *   cgroup_skb in/egress  socket traffic by cgroup v2 id, for VNFs in the host namespace
 *
 * Namespaces are keyed by inode, which the agent reads from /proc/PID/ns/net without entering
 * the namespace; it removes the entries of namespaces no VNF uses, so a recycled inode never
 * inherits counts for long.
 *
 * The host's own namespace is skipped at the device hooks: its devices (NICs, the host ends of
 * pod veths, bridges) are no VNF's, and on a Kubernetes node most packets cross one of them
 * besides the pod's own interface. Host-network VNFs are counted at their sockets instead.
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
	__uint(max_entries, 4096); /* the agent resizes it before load */
	__type(key, u64);
	__type(value, struct vnf_traffic);
} netns_traffic SEC(".maps");

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

/*
 * The per-packet paths read skb and device fields by direct loads (tp_btf hands the programs
 * trusted pointers; the loads are CO-RE relocated), not through probe-read helper calls.
 */
static __always_inline u64 netns_inode_of_dev(const struct net_device *dev)
{
	return dev->nd_net.net->ns.inum;
}

static __always_inline struct skb_shared_info *shinfo_of(const struct sk_buff *skb)
{
	return (struct skb_shared_info *)(skb->head + skb->end);
}

/* Segments in a GSO/GRO skb (1 for a plain one). */
static __always_inline u32 segments(const struct skb_shared_info *shinfo)
{
	u16 gso_size = BPF_CORE_READ(shinfo, gso_size);
	u16 segs;

	if (!gso_size)
		return 1;
	segs = BPF_CORE_READ(shinfo, gso_segs);
	return segs > 1 ? segs : 1;
}

/*
 * Bytes of the packet's segments as the kernel measures each of them: a GSO/GRO skb carries
 * its headers once, each segment carries them again. `base` is the offset skb->len starts at.
 */
static __always_inline u64 wire_bytes(const struct sk_buff *skb, const struct skb_shared_info *shinfo,
				      u32 segs, u16 base)
{
	u64 len = skb->len;
	u16 transport;
	unsigned char *head;
	u32 gso_type, l4_header = 0;
	u8 doff_byte = 0;

	if (segs <= 1)
		return len;
	transport = skb->transport_header;
	head = skb->head;
	if (transport <= base)
		return len;
	gso_type = BPF_CORE_READ(shinfo, gso_type);
	if (gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) {
		bpf_probe_read_kernel(&doff_byte, 1, head + transport + 12);
		l4_header = (doff_byte >> 4) * 4;
	} else if (gso_type & SKB_GSO_UDP_L4) {
		l4_header = 8;
	}
	return len + (u64)(segs - 1) * (transport - base + l4_header);
}

static __always_inline void count(u64 netns, bool rx, u32 packets, u64 bytes)
{
	struct vnf_traffic *t;

	t = lookup_or_init(&netns_traffic, &netns, &zero_traffic, &overflow, VNF_OVERFLOW_NETNS_TRAFFIC);
	if (!t)
		return;
	if (rx) {
		t->rx_packets += packets;
		t->rx_bytes += bytes;
	} else {
		t->tx_packets += packets;
		t->tx_bytes += bytes;
	}
}

/*
 * Counts a packet at one of `dev`'s hooks, unless the device is the host's. `base` is the
 * header skb->len starts at there.
 */
static __always_inline void count_at_device(const struct sk_buff *skb, const struct net_device *dev, bool rx,
					    u16 base)
{
	u64 netns = netns_inode_of_dev(dev);
	struct skb_shared_info *shinfo;
	u32 segs;

	if (netns == host_netns_inum)
		return;
	shinfo = shinfo_of(skb);
	segs = segments(shinfo);
	count(netns, rx, segs, wire_bytes(skb, shinfo, segs, base));
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(vnf_netif_receive_skb, struct sk_buff *skb)
{
	/* The link-layer header is already pulled here: received bytes are from L3 on. */
	count_at_device(skb, skb->dev, true, skb->network_header);
	return 0;
}

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(vnf_net_dev_start_xmit, const struct sk_buff *skb, const struct net_device *dev)
{
	count_at_device(skb, dev, false, skb->mac_header);
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(vnf_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	struct vnf_drop_key key = {};
	struct net_device *dev;
	struct sock *sk;
	u64 *n;

	if (reason == bpf_core_enum_value(enum skb_drop_reason, SKB_CONSUMED) ||
	    reason == bpf_core_enum_value(enum skb_drop_reason, SKB_NOT_DROPPED_YET))
		return 0; /* freed after use, not dropped */
	dev = skb->dev;
	sk = skb->sk;
	if (dev)
		key.netns_inode = netns_inode_of_dev(dev);
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
