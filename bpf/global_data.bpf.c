/* SPDX-License-Identifier: GPL-2.0 */
/*
 * global_data.bpf.c - global variables in every kind of data section, and both
 * flavours of data relocation. Also built for big-endian BPF as
 * Fixtures/global_data.bpfeb.o (section contents then are big-endian).
 *
 *   .data            initialised, writable     (packets_seen, static last_len)
 *   .rodata          const volatile "config"   (cfg_drop_port, cfg_verbose,
 *                                               static cfg_salt)
 *   .rodata.cst16    a 16-byte static const table clang files as a mergeable
 *                    constant (hex_digits)
 *   .bss             zero-initialised          (bytes_seen, static drops)
 *   .data.counters   custom writable section   (tcp_count, udp_count)
 *   .rodata.cfg      custom read-only section  (cfg_ratio)
 *   .rodata.str1.1   merged string literals    (bpf_printk formats, "hex" lookup)
 *   .maps            one BTF-defined ARRAY map (stats), so this object has a
 *                    map relocation as well
 *
 * Relocations (R_BPF_64_64 on ld_imm64): a global variable is referenced through
 * its own symbol (offset in st_value, imm 0); a static variable or a string
 * literal through the section symbol (st_value 0, offset in the instruction's imm).
 */
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include "swift_xdp_bpf.h"

/* .data: writable, with a non-zero initial value. */
__u64 packets_seen = 1;
static __u32 last_len = 7;

/* .rodata: set by the loader before load (the "config" pattern), then frozen. */
const volatile __u16 cfg_drop_port = 9;
const volatile __u8 cfg_verbose = 1;
static const volatile __u32 cfg_salt = 0x5eed;
static const char hex_digits[16] = "0123456789abcdef";

/* .bss: zero-initialised, no bytes in the file (SHT_NOBITS). */
__u64 bytes_seen;
static __u32 drops;

/* Custom sections: each becomes a map of its own. */
__u32 tcp_count SEC(".data.counters") = 100;
__u32 udp_count SEC(".data.counters") = 200;
const volatile __u32 cfg_ratio SEC(".rodata.cfg") = 3;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} stats SEC(".maps");

SEC("xdp")
int global_data(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = data_end - data;

	/* Globals are reached through their own symbols. */
	packets_seen++;
	bytes_seen += len;

	/* Statics are reached through the section symbol (.data, .rodata, .bss). */
	__u32 previous = last_len ^ cfg_salt;
	last_len = len ^ cfg_salt;

	/* A string literal indexed at run time: .rodata.str1.1, offset in imm. */
	char tag = "xdp-hex-tag"[len & 7];
	/* A static const array: .rodata.cst16 through the section symbol. */
	char digit = hex_digits[len & 15];

	if (cfg_verbose)
		bpf_printk("len %u previous %u tag %c", len, previous, tag);

	struct ethhdr *eth = data;
	struct iphdr *iph = data + sizeof(*eth);
	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	if (iph->protocol == IPPROTO_TCP)
		tcp_count++;
	else if (iph->protocol == IPPROTO_UDP)
		udp_count++;

	__u32 key = iph->protocol & 3;
	__u64 *slot = bpf_map_lookup_elem(&stats, &key);
	if (slot)
		*slot += cfg_ratio;

	if (cfg_drop_port != 0 && (len % cfg_ratio) == cfg_drop_port) {
		drops++;
		bpf_printk("drop %u digit %c total %u", len, digit, drops);
		return XDP_DROP;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
