/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map_kinds.bpf.c - BTF-defined maps using every attribute a ".maps" struct can
 * carry, over several map types:
 *
 *   flows        HASH, struct flow_key -> struct flow_stats, map_flags =
 *                BPF_F_NO_PREALLOC (key/value BTF types are named structs)
 *   pinned_hits  HASH, pinning = LIBBPF_PIN_BY_NAME (1): pinned as
 *                /sys/fs/bpf/pinned_hits by libbpf-style loaders
 *   cpu_stats    PERCPU_ARRAY described with key_size/value_size, not __type
 *   recent       LRU_HASH with numa_node = 0 (+ map_flags BPF_F_NUMA_NODE)
 *   blocked      BLOOM_FILTER, value only (no key), map_extra = 3 hash functions
 *   ports        DEVMAP, key u32 -> struct bpf_devmap_val
 *   events       RINGBUF, max_entries = 4096 bytes (a page multiple)
 *
 * One XDP program uses them all, so none is there only on paper.
 */
#include "swift_xdp_bpf.h"

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 protocol;
	__u8 pad[3];
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct event {
	__u32 ifindex;
	__u32 len;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct flow_stats));
	__uint(max_entries, 2);
} cpu_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
} recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u32);
	__uint(max_entries, 256);
	__uint(map_extra, 3);
} blocked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(max_entries, 8);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int xdp_map_kinds(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 ifindex = ctx->ingress_ifindex;

	if (bpf_map_peek_elem(&blocked, &ifindex) == 0)
		return XDP_DROP;

	struct flow_key key = { .saddr = ifindex, .daddr = ctx->rx_queue_index, .protocol = 0 };
	struct flow_stats *stats = bpf_map_lookup_elem(&flows, &key);
	if (stats) {
		__sync_fetch_and_add(&stats->packets, 1);
		__sync_fetch_and_add(&stats->bytes, len);
	} else {
		struct flow_stats fresh = { .packets = 1, .bytes = len };
		bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST);
	}

	__u32 slot = len & 1;
	struct flow_stats *mine = bpf_map_lookup_elem(&cpu_stats, &slot);
	if (mine) {
		mine->packets++;
		mine->bytes += len;
	}

	__u64 *hits = bpf_map_lookup_elem(&pinned_hits, &slot);
	if (hits)
		__sync_fetch_and_add(hits, 1);

	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&recent, &ifindex, &now, BPF_ANY);

	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->ifindex = ifindex;
		e->len = len;
		bpf_ringbuf_submit(e, 0);
	}

	/* Forward through port 0 when it is set; otherwise let the stack have it. */
	return bpf_redirect_map(&ports, 0, XDP_PASS);
}

char _license[] SEC("license") = "GPL";
