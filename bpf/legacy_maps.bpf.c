/* SPDX-License-Identifier: GPL-2.0 */
/*
 * legacy_maps.bpf.c - maps declared the old way: instances of a fixed 20-byte
 * struct placed in the section "maps" (no BTF description of the attributes).
 * The loader reads the attributes straight from the section bytes; each map is
 * the symbol at its offset, so the map record size is section size / map count.
 *
 * libbpf 1.0 and later refuse this section ("legacy map definitions in 'maps'
 * section are not supported"), so bpftool cannot load this object. It is here so
 * that swift-xdp can show it parses (and, if it chooses, loads) such objects.
 */
#include "swift_xdp_bpf.h"

/* The record libbpf's loader used to read from SEC("maps"): five u32 fields. */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") packet_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
	.map_flags = 0,
};

struct bpf_map_def SEC("maps") seen_sources = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1024,
	.map_flags = BPF_F_NO_PREALLOC,
};

struct bpf_map_def SEC("maps") cpu_totals = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
	.map_flags = 0,
};

SEC("xdp")
int xdp_legacy_maps(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 bucket = len & 0xff;
	__u32 zero = 0;

	__u64 *count = bpf_map_lookup_elem(&packet_counts, &bucket);
	if (count)
		__sync_fetch_and_add(count, 1);

	__u64 *total = bpf_map_lookup_elem(&cpu_totals, &zero);
	if (total)
		*total += len;

	__u32 ifindex = ctx->ingress_ifindex;
	__u64 one = 1;
	bpf_map_update_elem(&seen_sources, &ifindex, &one, BPF_ANY);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
