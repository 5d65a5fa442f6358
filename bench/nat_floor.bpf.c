/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nat_floor.bpf.c - the least work an XDP full-NAT load balancer can do per packet, for
 * bench/lb.sh only: it measures the floor under xdp_lb's req/s in the lab topology.
 *
 *   client:sport ──► VIP:80 ══ LB ══► backend:80      source becomes lb_ip:sport
 *   client:sport ◄── VIP:80 ══ LB ◄══ backend:80      destination was lb_ip:sport
 *
 * One client, one backend, every address and MAC compiled in (the lab's: MAC last byte =
 * host number), no maps, no connection table, no FIB lookup, no counters: parse, rewrite
 * addresses with incremental checksums (xdp_lb_packet.h, the same code xdp_lb uses),
 * swap in the next hop's MAC and send the frame back out (XDP_TX). The client's port is
 * kept, so it must not collide with the LB host's own connections to the backend (the
 * bench narrows the LB's ephemeral ports to 60000-65000).
 *
 * Whatever req/s gap to "direct" this program leaves is the price of the topology (one
 * more veth pair and two more bridge crossings per packet on shared cores), which no
 * load balancer program can avoid. Not a fixture: lb.sh builds it with bpf/'s clang.
 */
#include "xdp_lb_packet.h"

#define LAB_IP(host) bpf_htonl(0xC6120000 | (host)) /* 198.18.0.<host> */
#define FLOOR_CLIENT 4
#define FLOOR_LB 5
#define FLOOR_BACKEND 2
#define FLOOR_VIP 10
#define FLOOR_PORT 80

/* Sets the frame's MACs to LB -> 02:00:c6:12:00:<host>. */
static __always_inline void set_macs(struct ethhdr *eth, __u8 host)
{
	const __u8 base[5] = {0x02, 0x00, 0xc6, 0x12, 0x00};
	for (int i = 0; i < 5; i++) {
		eth->h_dest[i] = base[i];
		eth->h_source[i] = base[i];
	}
	eth->h_dest[5] = host;
	eth->h_source[5] = FLOOR_LB;
}

SEC("xdp")
int nat_floor(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct packet p;

	if (parse(data, data_end, &p) != 0 || p.tuple.proto != IPPROTO_TCP)
		return XDP_PASS;
	if (p.tuple.saddr == LAB_IP(FLOOR_CLIENT) && p.tuple.daddr == LAB_IP(FLOOR_VIP) &&
	    p.tuple.dport == bpf_htons(FLOOR_PORT)) {
		rewrite(&p, LAB_IP(FLOOR_LB), LAB_IP(FLOOR_BACKEND), p.tuple.sport, p.tuple.dport);
		set_macs(p.eth, FLOOR_BACKEND);
		return XDP_TX;
	}
	if (p.tuple.saddr == LAB_IP(FLOOR_BACKEND) && p.tuple.daddr == LAB_IP(FLOOR_LB) &&
	    p.tuple.sport == bpf_htons(FLOOR_PORT) && p.tuple.dport != 0 &&
	    bpf_ntohs(p.tuple.dport) < 60000) {
		rewrite(&p, LAB_IP(FLOOR_VIP), LAB_IP(FLOOR_CLIENT), p.tuple.sport, p.tuple.dport);
		set_macs(p.eth, FLOOR_CLIENT);
		return XDP_TX;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
