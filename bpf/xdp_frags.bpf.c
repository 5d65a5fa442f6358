/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_frags.bpf.c - an XDP program in SEC("xdp.frags"): the loader must load it
 * with BPF_F_XDP_HAS_FRAGS in prog_flags, which lets it run on multi-buffer
 * packets (jumbo frames, GRO). It drops packets longer than one page in total.
 */
#include "swift_xdp_bpf.h"

SEC("xdp.frags")
int xdp_frags(struct xdp_md *ctx)
{
	/* Linear part plus all fragments. */
	__u64 total = bpf_xdp_get_buff_len(ctx);
	return total > 4096 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
