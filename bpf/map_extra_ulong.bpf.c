/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map_extra_ulong.bpf.c - a map attribute written with __ulong instead of __uint.
 *
 * __ulong(map_extra, 5) encodes the value as an anonymous enum whose single
 * enumerator is 5 (BTF_KIND_ENUM; values above 32 bits would give ENUM64), not as
 * a pointer to an array. It exists because map_extra is 64 bits wide and an array
 * length cannot carry that. libbpf learned this encoding in v1.2; the bpftool on
 * the project machines uses libbpf 1.1 and refuses the object ("attr 'map_extra':
 * expected PTR, got enum"). The kernel itself accepts the map.
 *
 *   seen_ports   BLOOM_FILTER of u16 ports, map_extra = 5 hash functions
 */
#include "swift_xdp_bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u16);
	__uint(max_entries, 1024);
	__ulong(map_extra, 5);
} seen_ports SEC(".maps");

SEC("xdp")
int xdp_bloom_ulong(struct xdp_md *ctx)
{
	__u16 port = (__u16)ctx->rx_queue_index;
	if (bpf_map_peek_elem(&seen_ports, &port) == 0)
		return XDP_DROP;
	bpf_map_push_elem(&seen_ports, &port, BPF_ANY);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
