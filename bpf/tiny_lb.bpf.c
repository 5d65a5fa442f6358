/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tiny_lb.bpf.c - seed 001: the "Tiny Load Balancer" xdp_lb_kern.c from the article
 * (/work/shared/seeds/001_*.txt), kept as its users wrote it, weaknesses included.
 *
 * Only TCP to port 80 from the client is balanced; the addresses come from the
 * BTF-defined hash map lb_map (key 2/3/4/5 = host number, value = the host-order
 * IPv4 address) that user space fills before traffic flows. The bpf_printk calls
 * are kept: their format strings are the object's .rodata.str1.1 data.
 *
 * The only change: IP_ADDRESS() points at the test topology 198.18.0.0/24 instead
 * of the article's 192.17.0.0/24 (override NET_A/NET_B/NET_C with -D).
 */
#include "tiny_lb.h"

#ifndef NET_A
#define NET_A 198
#endif
#ifndef NET_B
#define NET_B 18
#endif
#ifndef NET_C
#define NET_C 0
#endif

/* The address NET_A.NET_B.NET_C.x in network order, read as a little-endian u32. */
#define IP_ADDRESS(x) (unsigned int)(NET_A + (NET_B << 8) + (NET_C << 16) + (x << 24))
#define BACKEND_A 2
#define BACKEND_B 3
#define CLIENT 4
#define LB 5
#define HTTP_PORT 80

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 64);
} lb_map SEC(".maps");

SEC("xdp")
int tiny_lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	struct ethhdr *eth = data;
	if (data + sizeof(struct ethhdr) > data_end)
		return XDP_ABORTED;

	if (bpf_ntohs(eth->h_proto) != ETH_P_IP)
		return XDP_PASS;

	struct iphdr *iph = data + sizeof(struct ethhdr);
	if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) > data_end)
		return XDP_ABORTED;

	if (iph->protocol != IPPROTO_TCP)
		return XDP_PASS;

	struct tcphdr *tcph = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
	if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct tcphdr) > data_end)
		return XDP_ABORTED;

	__be32 ip_saddr = iph->saddr;
	if (ip_saddr == IP_ADDRESS(CLIENT) &&
	    bpf_ntohs(tcph->dest) == HTTP_PORT)
	{
		bpf_printk("Got http request from %x", ip_saddr);
		int dst = BACKEND_A;
		if (bpf_ktime_get_ns() % 2)
			dst = BACKEND_B;

		__u32 *dst_ip = bpf_map_lookup_elem(&lb_map, &dst);
		if (!dst_ip) {
			bpf_printk("Error: Destination IP not found in the map");
			return XDP_PASS;
		}
		iph->daddr = bpf_htonl(*dst_ip);
		eth->h_dest[5] = dst;
	} else if (iph->saddr == IP_ADDRESS(BACKEND_A) || iph->saddr == IP_ADDRESS(BACKEND_B))
	{
		bpf_printk("Got the http response from backend [%x]: forward to client %x", iph->saddr, iph->daddr);
		int c = CLIENT;
		__u32 *client_ip = bpf_map_lookup_elem(&lb_map, &c);
		if (!client_ip) {
			bpf_printk("Error: Client IP not found in the map");
			return XDP_PASS;
		}
		iph->daddr = bpf_htonl(*client_ip);
		eth->h_dest[5] = CLIENT;
	}

	iph->saddr = IP_ADDRESS(LB);
	eth->h_source[5] = LB;

	iph->check = iph_csum(iph);

	bpf_printk("Forward from lb %x to client %x", iph->saddr, iph->daddr);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
