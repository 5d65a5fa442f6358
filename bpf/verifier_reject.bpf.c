/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verifier_reject.bpf.c - an XDP program the kernel verifier MUST reject.
 *
 * It reads the EtherType at bytes 12..13 of the packet without first checking
 * that the packet is at least 14 bytes long (data + 14 <= data_end). The
 * verifier refuses the load with "invalid access to packet" and, because the
 * object carries BTF line info, its log quotes the C line below. Tests use it
 * to check that the verifier log is kept and shown.
 */
#include <linux/if_ether.h>
#include "swift_xdp_bpf.h"

SEC("xdp")
int xdp_unchecked_read(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;

	/* BUG (on purpose): no bounds check against ctx->data_end before this read. */
	__u16 proto = eth->h_proto;

	return proto == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
