/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sections.bpf.c - one small program for each of several section names, so the
 * section table holds many program sections and the loader's section-name ->
 * (program type, expected attach type) table is exercised:
 *
 *   SEC("tc")                                   SCHED_CLS
 *   SEC("socket")                               SOCKET_FILTER
 *   SEC("kprobe/do_unlinkat")                   KPROBE (attach target in the name)
 *   SEC("tracepoint/syscalls/sys_enter_openat") TRACEPOINT
 *   SEC("cgroup_skb/ingress")                   CGROUP_SKB, BPF_CGROUP_INET_INGRESS
 *   SEC("xdp/devmap")                           XDP, BPF_XDP_DEVMAP (runs on
 *                                               DEVMAP redirects)
 *
 * The programs only load; none of them is attached by any test.
 */
#include <linux/pkt_cls.h>
#include "swift_xdp_bpf.h"

__u64 unlink_calls;
__u64 openat_calls;

SEC("tc")
int tc_pass(struct __sk_buff *skb)
{
	return skb->len > 9000 ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("socket")
int socket_snap(struct __sk_buff *skb)
{
	/* A socket filter returns how many bytes of the packet to keep. */
	return skb->len < 64 ? skb->len : 64;
}

SEC("kprobe/do_unlinkat")
int kprobe_unlinkat(void *ctx)
{
	__sync_fetch_and_add(&unlink_calls, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(void *ctx)
{
	__sync_fetch_and_add(&openat_calls, 1);
	return 0;
}

SEC("cgroup_skb/ingress")
int cgroup_ingress(struct __sk_buff *skb)
{
	/* 1 lets the packet through, 0 drops it. */
	return 1;
}

SEC("xdp/devmap")
int xdp_devmap_egress(struct xdp_md *ctx)
{
	return ctx->egress_ifindex != 0 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
