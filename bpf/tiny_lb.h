/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tiny_lb.h - what seed 001's xdp_lb_kern.c expects from its xdp_lb_kern.h:
 * the headers for the packet structs, the helpers and byte order, and
 * iph_csum(), which recomputes an IPv4 header checksum in place.
 */
#ifndef TINY_LB_H
#define TINY_LB_H

#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include "swift_xdp_bpf.h"

/* Folds a 64-bit one's-complement sum to 16 bits and complements it. */
static __always_inline __u16 csum_fold_helper(__u64 sum)
{
	/* Each step adds the carries above bit 16 back in; four steps cover 64 bits. */
#pragma unroll
	for (int step = 0; step < 4; step++) {
		if (sum >> 16)
			sum = (sum >> 16) + (sum & 0xffff);
	}
	return (__u16)~sum;
}

/* The IPv4 header checksum of iph (20 bytes, no options), computed with check = 0. */
static __always_inline __u16 iph_csum(struct iphdr *iph)
{
	iph->check = 0;
	__s64 sum = bpf_csum_diff(0, 0, (__be32 *)iph, sizeof(struct iphdr), 0);
	return csum_fold_helper((__u64)sum);
}

#endif /* TINY_LB_H */
