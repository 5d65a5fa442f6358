/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp-proxy.bpf.c - seed 000: the XDP layer-4 load balancer from the article
 * (/work/shared/seeds/000_*.txt), kept as its users wrote it, weaknesses included:
 * one hard-coded client, a backend picked per packet by bpf_ktime_get_ns() & 1,
 * every other TCP packet sent to the client, only the IP checksum recomputed.
 *
 * The only change: the seed's literal addresses (172.17.0.x, written as
 * network-order u32 constants such as 0x40011ac) are macros that default to the
 * project's test topology 198.18.0.0/24 (client .4, LB .5, backends .2 and .3,
 * MAC last byte = host number). Override them with -D when compiling.
 *
 * Built twice by bpf/Makefile:
 *   Fixtures/xdp-proxy.bpf.o         with bpf/include/swift_xdp_bpf.h
 *   Fixtures/xdp-proxy.libbpf.bpf.o  with -DSWIFT_XDP_USE_LIBBPF_HEADERS, i.e. libbpf's
 *                                    <bpf/bpf_helpers.h> and <bpf/bpf_endian.h>
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#ifdef SWIFT_XDP_USE_LIBBPF_HEADERS
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#else
#include "swift_xdp_bpf.h"
#endif

/* 0. Topology: the first three bytes of the /24 and each host's last byte. */
#ifndef NET_A
#define NET_A 198
#endif
#ifndef NET_B
#define NET_B 18
#endif
#ifndef NET_C
#define NET_C 0
#endif
#ifndef CLIENT_HOST
#define CLIENT_HOST 4
#endif
#ifndef LOADBALANCER_HOST
#define LOADBALANCER_HOST 5
#endif
#ifndef ENDPOINT1_HOST
#define ENDPOINT1_HOST 2
#endif
#ifndef ENDPOINT2_HOST
#define ENDPOINT2_HOST 3
#endif

/*
 * IP4(a,b,c,d): the address a.b.c.d in network order, as the u32 that iphdr.saddr
 * holds. On a little-endian target that is d<<24 | c<<16 | b<<8 | a, the same
 * value inet_addr() returns (the seed's 0x40011ac is IP4(172,17,0,4)).
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IP4(a, b, c, d) ((__u32)(a) | ((__u32)(b) << 8) | ((__u32)(c) << 16) | ((__u32)(d) << 24))
#else
#define IP4(a, b, c, d) (((__u32)(a) << 24) | ((__u32)(b) << 16) | ((__u32)(c) << 8) | (__u32)(d))
#endif

/* 1. Constants (seed: 0x40011ac, 0x50011ac, 0x20011ac, 0x30011ac, 0x04, 0x05, 0x02, 0x03). */
#define CLIENT_IP IP4(NET_A, NET_B, NET_C, CLIENT_HOST)
#define LOADBALANCER_IP IP4(NET_A, NET_B, NET_C, LOADBALANCER_HOST)
#define ENDPOINT1_IP IP4(NET_A, NET_B, NET_C, ENDPOINT1_HOST)
#define ENDPOINT2_IP IP4(NET_A, NET_B, NET_C, ENDPOINT2_HOST)
#define CLIENT_MAC_SUFFIX CLIENT_HOST
#define LOADBALANCER_MAC_SUFFIX LOADBALANCER_HOST
#define ENDPOINT1_MAC_SUFFIX ENDPOINT1_HOST
#define ENDPOINT2_MAC_SUFFIX ENDPOINT2_HOST

static __always_inline __u16 csum_fold_helper(__u64 csum)
{
	int i;
#pragma unroll
	for (i = 0; i < 4; i++)
	{
		if (csum >> 16)
			csum = (csum & 0xffff) + (csum >> 16);
	}
	return ~csum;
}

static __always_inline __u16 ipv4_csum(struct iphdr *iph)
{
	iph->check = 0;
	unsigned long long csum = bpf_csum_diff(0, 0, (unsigned int *)iph, sizeof(struct iphdr), 0);
	return csum_fold_helper(csum);
}

SEC("xdp")
int xdp_proxy(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	struct ethhdr *eth = data;
	if (data + sizeof(struct ethhdr) > data_end)
	{
		return XDP_ABORTED;
	}

	struct iphdr *iph = data + sizeof(struct ethhdr);
	if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) > data_end)
	{
		return XDP_ABORTED;
	}

	if (eth->h_proto != bpf_htons(ETH_P_IP))
	{
		return XDP_PASS;
	}

	if (iph->protocol != IPPROTO_TCP)
	{
		return XDP_PASS;
	}

	/* 2. Requests from the client go to a backend web server. */
	if (iph->saddr == CLIENT_IP)
	{
		iph->daddr = ENDPOINT1_IP;
		eth->h_dest[5] = ENDPOINT1_MAC_SUFFIX; /* Only need to update the last byte */

		/* Pick one of the two web servers "at random". */
		if ((bpf_ktime_get_ns() & 0x1) == 0x1)
		{
			iph->daddr = ENDPOINT2_IP;
			eth->h_dest[5] = ENDPOINT2_MAC_SUFFIX;
		}
	}
	else /* 3. Everything else goes to the client. */
	{
		iph->daddr = CLIENT_IP;
		eth->h_dest[5] = CLIENT_MAC_SUFFIX;
	}

	/* 4. The source becomes the load balancer. */
	iph->saddr = LOADBALANCER_IP;
	eth->h_source[5] = LOADBALANCER_MAC_SUFFIX;

	/* Recompute the IP header checksum. */
	iph->check = ipv4_csum(iph);

	/* Send the packet back out of the interface it came in on. */
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
