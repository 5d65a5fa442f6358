/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_pass.bpf.c - the smallest useful XDP program: every packet goes on to the
 * kernel's network stack. No maps, no relocations, no global data.
 * Also built for big-endian BPF as Fixtures/xdp_pass.bpfeb.o.
 */
#include "swift_xdp_bpf.h"

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
