/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * swift_xdp_endian.h - byte-order helpers for BPF programs of the swift-xdp project.
 *
 * Packet headers (struct ethhdr, struct iphdr, struct tcphdr in the kernel UAPI
 * headers) store multi-byte fields in network order (big-endian). A BPF program
 * runs in the byte order of its target: `-target bpfel` (what `-target bpf` means
 * on x86) is little-endian, `-target bpfeb` is big-endian. clang tells us which
 * one through the predefined macro __BYTE_ORDER__.
 *
 * The macros below work in constant expressions (switch labels, static
 * initialisers) because __builtin_bswap16/32 fold constants; for run-time values
 * clang emits one BPF `be16`/`be32` (or `bswap`) instruction.
 */
#ifndef SWIFT_XDP_ENDIAN_H
#define SWIFT_XDP_ENDIAN_H

#include <linux/types.h>

#if !defined(__BYTE_ORDER__) || !defined(__ORDER_LITTLE_ENDIAN__) || !defined(__ORDER_BIG_ENDIAN__)
#error "swift_xdp_endian.h needs clang's __BYTE_ORDER__ macros"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Little-endian target: network order is the reverse of host order. */
#define swift_xdp_host_to_be16(x) ((__u16)__builtin_bswap16((__u16)(x)))
#define swift_xdp_host_to_be32(x) ((__u32)__builtin_bswap32((__u32)(x)))
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
/* Big-endian target: host order already is network order. */
#define swift_xdp_host_to_be16(x) ((__u16)(x))
#define swift_xdp_host_to_be32(x) ((__u32)(x))
#else
#error "unknown __BYTE_ORDER__"
#endif

/* Host order -> network order, 16 bits (a port, an EtherType). */
#define bpf_htons(x) ((__be16)swift_xdp_host_to_be16(x))
/* Network order -> host order, 16 bits. Swapping is its own inverse. */
#define bpf_ntohs(x) ((__u16)swift_xdp_host_to_be16(x))
/* Host order -> network order, 32 bits (an IPv4 address). */
#define bpf_htonl(x) ((__be32)swift_xdp_host_to_be32(x))
/* Network order -> host order, 32 bits. */
#define bpf_ntohl(x) ((__u32)swift_xdp_host_to_be32(x))

#endif /* SWIFT_XDP_ENDIAN_H */
