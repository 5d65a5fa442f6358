/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iproute2_maps.bpf.c - maps in the section "maps" as iproute2 (`tc`, `ip link
 * ... xdp obj`) declares them: a 28-byte record of seven u32 fields, libbpf's old
 * 20-byte record plus `id` and `pinning` (PIN_GLOBAL_NS pins the map under
 * /sys/fs/bpf/tc/globals/<name>). Later iproute2 versions add inner_id and
 * inner_idx (36 bytes); this file uses the 7-field form.
 *
 * Programs: one SEC("classifier") (tc's default section name) and one SEC("xdp").
 * libbpf 1.x (bpftool) refuses the legacy "maps" section, so bpftool cannot load it.
 */
#include "swift_xdp_bpf.h"
#include <linux/pkt_cls.h>

/* iproute2's map record (include/bpf_elf.h in iproute2): seven u32 fields. */
struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
};

/* Values of bpf_elf_map.pinning understood by iproute2. */
#define PIN_NONE 0
#define PIN_OBJECT_NS 1
#define PIN_GLOBAL_NS 2

struct bpf_elf_map SEC("maps") tc_counter = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u64),
	.max_elem = 2,
	.flags = 0,
	.id = 0,
	.pinning = PIN_NONE,
};

struct bpf_elf_map SEC("maps") shared_verdicts = {
	.type = BPF_MAP_TYPE_HASH,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 128,
	.flags = 0,
	.id = 1,
	.pinning = PIN_GLOBAL_NS,
};

SEC("classifier")
int tc_count(struct __sk_buff *skb)
{
	__u32 key = skb->protocol == bpf_htons(0x0800) ? 0 : 1;
	__u64 *count = bpf_map_lookup_elem(&tc_counter, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return TC_ACT_OK;
}

SEC("xdp")
int xdp_verdict(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	__u32 *verdict = bpf_map_lookup_elem(&shared_verdicts, &ifindex);
	if (verdict && *verdict == XDP_DROP)
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
