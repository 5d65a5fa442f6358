/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prog_array.bpf.c - maps whose initial contents are other objects:
 *
 *   jump_table   BPF_MAP_TYPE_PROG_ARRAY, .values = { [0] = &xdp_stage_a,
 *                [2] = &xdp_stage_b }: the loader stores those programs' fds
 *                after loading them. xdp_dispatch tail-calls into it.
 *   outer_map    BPF_MAP_TYPE_ARRAY_OF_MAPS whose values are maps shaped like
 *                struct inner_map, .values = { [1] = &inner_b }; inner_a is the
 *                template only. xdp_dispatch looks up a map inside it.
 *
 * Each initialised slot becomes an R_BPF_64_ABS64 relocation in ".rel.maps"
 * (offset = start of the map's .values array + 8 * slot, symbol = the target);
 * the .values member itself is a zero-sized flexible array in BTF.
 */
#include "swift_xdp_bpf.h"

SEC("xdp")
int xdp_stage_a(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_stage_b(struct xdp_md *ctx)
{
	return XDP_DROP;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = {
		[0] = (void *)&xdp_stage_a,
		[2] = (void *)&xdp_stage_b,
	},
};

/* The shape every map stored in outer_map must have. */
struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_map SEC(".maps") = {
	.values = {
		[1] = &inner_b,
	},
};

SEC("xdp")
int xdp_dispatch(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 outer_key = len & 1;
	__u32 inner_key = 0;

	void *inner = bpf_map_lookup_elem(&outer_map, &outer_key);
	if (inner) {
		__u64 *count = bpf_map_lookup_elem(inner, &inner_key);
		if (count)
			__sync_fetch_and_add(count, 1);
	}

	/* Slot 0 or 2 holds a program; slots 1 and 3 are empty and fall through. */
	bpf_tail_call(ctx, &jump_table, len & 3);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
