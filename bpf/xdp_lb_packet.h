/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_lb_packet.h - the packet side of xdp_lb.bpf.c: parsing an Ethernet/IPv4/TCP|UDP
 * frame into a struct packet, and rewriting its addresses and ports with incremental
 * checksum updates (RFC 1624). No maps, no helpers: only bounds-checked packet access,
 * so each piece can be read (and reasoned about by the verifier) on its own.
 */
#ifndef XDP_LB_PACKET_H
#define XDP_LB_PACKET_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "swift_xdp_bpf.h"
#include "xdp_lb.h"

/* The IPv4 fragment bits of iphdr.frag_off (include/net/ip.h, not in the UAPI headers). */
#define XDP_LB_IP_MF 0x2000
#define XDP_LB_IP_OFFSET 0x1fff

/* TCP flags, byte 13 of the TCP header. */
#define XDP_LB_TCP_FIN 0x01
#define XDP_LB_TCP_SYN 0x02
#define XDP_LB_TCP_RST 0x04
#define XDP_LB_TCP_ACK 0x10

/* ---- Incremental checksums (RFC 1624) -----------------------------------------------
 *
 * A checksum C is the complement of the one's-complement sum S of 16-bit words. When a
 * word m becomes m', RFC 1624 eqn. 3 gives C' = ~(~C + ~m + m'). We first accumulate the
 * differences ~m + m' of all changed words in a 32-bit "diff", then apply it once per
 * checksum. The sum does not depend on byte order as long as every word is read the same
 * way, so words are used exactly as the CPU loads them from the packet. Each 32-bit
 * address is two words; TCP and UDP checksums also cover the addresses (pseudo-header).
 */

/* Folds a 32-bit one's-complement accumulator to 16 bits (two folds suffice). */
static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* diff + (~from + to) for a changed 16-bit word. */
static __always_inline __u32 csum_diff16(__u32 diff, __u16 from, __u16 to)
{
	return diff + (__u16)~from + to;
}

/* diff + (~from + to) for a changed 32-bit field: two 16-bit words. */
static __always_inline __u32 csum_diff32(__u32 diff, __u32 from, __u32 to)
{
	diff = csum_diff16(diff, (__u16)from, (__u16)to);
	return csum_diff16(diff, (__u16)(from >> 16), (__u16)(to >> 16));
}

/* The checksum after the changes summed in diff: ~(~check + diff). */
static __always_inline __u16 csum_apply(__u16 check, __u32 diff)
{
	return (__u16)~csum_fold((__u16)~check + diff);
}

/* ---- Parsing --------------------------------------------------------------------- */

/* The headers of an IPv4 TCP/UDP packet, as pointers into it, and its 5-tuple. */
struct packet {
	struct ethhdr *eth;
	struct iphdr *iph;
	__be16 *ports;       /* ports[0] source, ports[1] destination (TCP and UDP alike) */
	__sum16 *l4_check;   /* the TCP or UDP checksum field */
	__u8 tcp_flags;      /* TCP header byte 13; 0 for UDP */
	struct xdp_lb_tuple tuple;
};

/* Fills p from the frame; returns 0, or the stats reason to pass the frame untouched. */
static __always_inline __u32 parse(void *data, void *data_end, struct packet *p)
{
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(eth + 1) > data_end)
		return XDP_LB_STAT_MALFORMED;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_LB_STAT_NOT_IPV4;
	if ((void *)(iph + 1) > data_end)
		return XDP_LB_STAT_MALFORMED;

	/* First byte: version (high nibble) and header length in words (low nibble). */
	__u8 version_ihl = *(__u8 *)iph;
	if (version_ihl != 0x45)
		return (version_ihl >> 4) != 4 || (version_ihl & 0xf) < 5 ? XDP_LB_STAT_MALFORMED
									    : XDP_LB_STAT_IP_OPTIONS;
	if (iph->frag_off & bpf_htons(XDP_LB_IP_MF | XDP_LB_IP_OFFSET))
		return XDP_LB_STAT_FRAGMENT;

	void *l4 = (void *)(iph + 1);
	if (iph->protocol == IPPROTO_TCP) {
		struct tcphdr *th = l4;
		if ((void *)(th + 1) > data_end)
			return XDP_LB_STAT_MALFORMED;
		p->ports = &th->source;
		p->l4_check = &th->check;
		p->tcp_flags = ((__u8 *)th)[13];
	} else if (iph->protocol == IPPROTO_UDP) {
		struct udphdr *uh = l4;
		if ((void *)(uh + 1) > data_end)
			return XDP_LB_STAT_MALFORMED;
		p->ports = &uh->source;
		p->l4_check = &uh->check;
		p->tcp_flags = 0;
	} else {
		return XDP_LB_STAT_NOT_TCP_UDP;
	}

	p->eth = eth;
	p->iph = iph;
	p->tuple = (struct xdp_lb_tuple){
		.saddr = iph->saddr,
		.daddr = iph->daddr,
		.sport = p->ports[0],
		.dport = p->ports[1],
		.proto = iph->protocol,
	};
	return 0;
}

/* ---- Rewriting ------------------------------------------------------------------- */

/* Replaces the addresses and ports, adjusting the IP and TCP/UDP checksums. */
static __always_inline void rewrite(struct packet *p, __be32 saddr, __be32 daddr,
				    __be16 sport, __be16 dport)
{
	struct iphdr *iph = p->iph;
	__u32 addr_diff = csum_diff32(0, iph->saddr, saddr);
	addr_diff = csum_diff32(addr_diff, iph->daddr, daddr);
	__u32 l4_diff = csum_diff16(addr_diff, p->ports[0], sport);
	l4_diff = csum_diff16(l4_diff, p->ports[1], dport);

	iph->check = csum_apply(iph->check, addr_diff);
	if (p->tuple.proto == IPPROTO_TCP) {
		*p->l4_check = csum_apply(*p->l4_check, l4_diff);
	} else if (*p->l4_check != 0) {
		/* UDP: 0 means "no checksum"; a computed 0 is sent as 0xffff (RFC 768). */
		__u16 check = csum_apply(*p->l4_check, l4_diff);
		*p->l4_check = check ? check : 0xffff;
	}

	iph->saddr = saddr;
	iph->daddr = daddr;
	p->ports[0] = sport;
	p->ports[1] = dport;
}

#endif /* XDP_LB_PACKET_H */
