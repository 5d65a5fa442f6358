/* SPDX-License-Identifier: GPL-2.0 */
/*
 * subprograms.bpf.c - BPF-to-BPF calls. Everything not in a program section lands
 * in .text, and every call into .text is a `call` with src_reg 1 whose target the
 * loader must append to each entry program that (transitively) needs it.
 *
 *   static __noinline clamp_len()      static subprogram, called by both programs
 *   static __noinline classify()       static subprogram calling another (nested):
 *                                      classify() -> clamp_len()
 *   global_len_bucket()                global (non-static) function: verified on
 *                                      its own by the kernel (BTF linkage global)
 *   count_cb()                         callback for bpf_loop: its address is taken
 *                                      with ld_imm64 (BPF_PSEUDO_FUNC)
 *   xdp_entry_a, xdp_entry_b           two entry programs sharing those subprograms
 */
#include "swift_xdp_bpf.h"

struct loop_state {
	__u32 limit;
	__u32 sum;
};

/* Shortest of the frame length and a cap; kept out of line on purpose. */
static __noinline __u32 clamp_len(__u32 len, __u32 cap)
{
	return len < cap ? len : cap;
}

/* 0 for small frames, 1 for medium, 2 for large; calls clamp_len (nested call). */
static __noinline int classify(__u32 len)
{
	__u32 clamped = clamp_len(len, 1500);
	if (clamped < 128)
		return 0;
	if (clamped < 1024)
		return 1;
	return 2;
}

/* A global function: the verifier checks it once, with arguments of unknown value. */
__noinline int global_len_bucket(__u32 len)
{
	return (int)(len >> 8) & 7;
}

/* bpf_loop callback: adds the index to the sum; returning 1 stops the loop. */
static long count_cb(__u32 index, void *ctx)
{
	struct loop_state *state = ctx;
	if (index >= state->limit)
		return 1;
	state->sum += index;
	return 0;
}

static __always_inline __u32 frame_len(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data;
}

SEC("xdp")
int xdp_entry_a(struct xdp_md *ctx)
{
	__u32 len = frame_len(ctx);
	int class = classify(len);
	int bucket = global_len_bucket(len);
	return (class + bucket) == 7 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_entry_b(struct xdp_md *ctx)
{
	struct loop_state state = { .limit = clamp_len(frame_len(ctx), 16), .sum = 0 };

	bpf_loop(16, count_cb, &state, 0);
	if (classify(state.sum) == 2)
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
