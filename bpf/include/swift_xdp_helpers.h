/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * swift_xdp_helpers.h - declarations of the BPF helper functions used by the
 * swift-xdp programs.
 *
 * A BPF helper is called with the instruction `call imm` (opcode 0x85, src_reg 0)
 * where imm is the helper's number from `enum bpf_func_id` in linux/bpf.h. clang
 * produces exactly that instruction when a program calls through a constant
 * function pointer whose value is the helper number, which is why every helper
 * below is a `static ... (* const name)(...)` initialised with BPF_FUNC_<name>.
 * The prototypes follow the documentation comments in linux/bpf.h; kernel-only
 * types there (struct bpf_map *, struct xdp_buff *, struct sk_buff *) are written
 * as the pointer a BPF program actually passes (a map's address, the context).
 *
 * Only helpers used by this project's programs are declared; add more the same
 * way (the number comes from linux/bpf.h, never typed by hand).
 */
#ifndef SWIFT_XDP_HELPERS_H
#define SWIFT_XDP_HELPERS_H

#include <linux/types.h>
#include <linux/bpf.h>

/* Maps. */

/* Returns a pointer to the value stored under key, or NULL. (BPF_FUNC_map_lookup_elem) */
static void *(* const bpf_map_lookup_elem)(void *map, const void *key) =
	(void *)BPF_FUNC_map_lookup_elem;
/* Stores value under key; flags is BPF_ANY, BPF_NOEXIST or BPF_EXIST. (BPF_FUNC_map_update_elem) */
static long (* const bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) =
	(void *)BPF_FUNC_map_update_elem;
/* Removes key from a hash-like map. (BPF_FUNC_map_delete_elem) */
static long (* const bpf_map_delete_elem)(void *map, const void *key) =
	(void *)BPF_FUNC_map_delete_elem;
/* Adds value to a queue, stack or bloom filter map. (BPF_FUNC_map_push_elem) */
static long (* const bpf_map_push_elem)(void *map, const void *value, __u64 flags) =
	(void *)BPF_FUNC_map_push_elem;
/* Reads the head of a queue/stack, or tests membership in a bloom filter (0 = maybe present). (BPF_FUNC_map_peek_elem) */
static long (* const bpf_map_peek_elem)(void *map, void *value) =
	(void *)BPF_FUNC_map_peek_elem;

/* Time, randomness, CPU. */

/* Nanoseconds since boot, not counting suspend (CLOCK_MONOTONIC). (BPF_FUNC_ktime_get_ns) */
static __u64 (* const bpf_ktime_get_ns)(void) =
	(void *)BPF_FUNC_ktime_get_ns;
/* A pseudo-random 32-bit number. (BPF_FUNC_get_prandom_u32) */
static __u32 (* const bpf_get_prandom_u32)(void) =
	(void *)BPF_FUNC_get_prandom_u32;
/* The id of the CPU running the program. (BPF_FUNC_get_smp_processor_id) */
static __u32 (* const bpf_get_smp_processor_id)(void) =
	(void *)BPF_FUNC_get_smp_processor_id;
/* This CPU's copy of a per-CPU kernel variable declared with __ksym. (BPF_FUNC_this_cpu_ptr) */
static void *(* const bpf_this_cpu_ptr)(const void *percpu_ptr) =
	(void *)BPF_FUNC_this_cpu_ptr;
/* The current task's tgid << 32 | pid. (BPF_FUNC_get_current_pid_tgid) */
static __u64 (* const bpf_get_current_pid_tgid)(void) =
	(void *)BPF_FUNC_get_current_pid_tgid;

/* Tracing output. */

/* Writes a formatted line to /sys/kernel/tracing/trace_pipe; at most three arguments.
 * fmt must point into read-only data (a string literal is fine). (BPF_FUNC_trace_printk) */
static long (* const bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) =
	(void *)BPF_FUNC_trace_printk;

/* Control flow. */

/* Jumps to prog_array_map[index] and never returns if it exists. (BPF_FUNC_tail_call) */
static long (* const bpf_tail_call)(void *ctx, void *prog_array_map, __u32 index) =
	(void *)BPF_FUNC_tail_call;
/* Calls callback_fn(i, callback_ctx) for i in 0..<nr_loops until it returns 1. (BPF_FUNC_loop) */
static long (* const bpf_loop)(__u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags) =
	(void *)BPF_FUNC_loop;

/* Packets. */

/* One's-complement sum of `to` minus `from`, added to seed (checksum updates). (BPF_FUNC_csum_diff) */
static __s64 (* const bpf_csum_diff)(__be32 *from, __u32 from_size, __be32 *to, __u32 to_size, __wsum seed) =
	(void *)BPF_FUNC_csum_diff;
/* Sends the packet out of interface ifindex. (BPF_FUNC_redirect) */
static long (* const bpf_redirect)(__u32 ifindex, __u64 flags) =
	(void *)BPF_FUNC_redirect;
/* Redirects to the entry key of a DEVMAP, CPUMAP or XSKMAP; the low bits of flags are
 * the action returned when the entry is missing. (BPF_FUNC_redirect_map) */
static long (* const bpf_redirect_map)(void *map, __u64 key, __u64 flags) =
	(void *)BPF_FUNC_redirect_map;
/* Moves xdp_md->data by delta bytes (negative grows the headroom). (BPF_FUNC_xdp_adjust_head) */
static long (* const bpf_xdp_adjust_head)(struct xdp_md *xdp_md, int delta) =
	(void *)BPF_FUNC_xdp_adjust_head;
/* Total length of an XDP packet including its fragments. (BPF_FUNC_xdp_get_buff_len) */
static __u64 (* const bpf_xdp_get_buff_len)(struct xdp_md *xdp_md) =
	(void *)BPF_FUNC_xdp_get_buff_len;
/* Copies len bytes at offset of a socket buffer into to. (BPF_FUNC_skb_load_bytes) */
static long (* const bpf_skb_load_bytes)(const void *skb, __u32 offset, void *to, __u32 len) =
	(void *)BPF_FUNC_skb_load_bytes;

/* Ring buffer. */

/* Copies size bytes of data into a RINGBUF map. (BPF_FUNC_ringbuf_output) */
static long (* const bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_output;
/* Reserves size bytes in a RINGBUF map; NULL when full. (BPF_FUNC_ringbuf_reserve) */
static void *(* const bpf_ringbuf_reserve)(void *ringbuf, __u64 size, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_reserve;
/* Publishes a record obtained from bpf_ringbuf_reserve. (BPF_FUNC_ringbuf_submit) */
static void (* const bpf_ringbuf_submit)(void *data, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_submit;

#endif /* SWIFT_XDP_HELPERS_H */
