/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * swift_xdp_bpf.h - the one header a swift-xdp BPF program includes.
 *
 * It needs only clang and the kernel UAPI headers (linux-libc-dev), not libbpf-dev.
 * What it provides, and the ELF/BTF convention each piece relies on:
 *
 *   SEC("xdp")                 puts a function or variable in an ELF section; the
 *                              loader derives the program type from the section name.
 *   __uint/__type/__array/__ulong
 *                              describe a map as a struct in the ".maps" section; the
 *                              loader reads the attributes back from the struct's BTF.
 *   __ksym, __kconfig, __weak  extern symbols the loader resolves against the running
 *                              kernel (BTF ids, kallsyms, /proc/config.gz).
 *   bpf_printk                 formatted tracing through bpf_trace_printk.
 *   bpf_htons/...              byte order (swift_xdp_endian.h).
 *   helper functions           swift_xdp_helpers.h.
 */
#ifndef SWIFT_XDP_BPF_H
#define SWIFT_XDP_BPF_H

#include <linux/types.h>
#include <linux/bpf.h>

#include "swift_xdp_helpers.h"
#include "swift_xdp_endian.h"

/* ---- Sections ---------------------------------------------------------------- */

/*
 * Places the function or variable in the ELF section `name` and keeps it even if
 * nothing references it. Program sections ("xdp", "xdp.frags", "tc", "socket",
 * "kprobe/<fn>", ...) name the program type; "license", ".maps", "maps" and
 * ".data.<x>"/".rodata.<x>" have fixed meanings for loaders.
 */
#define SEC(name) __attribute__((section(name), used))

/* ---- Function and symbol attributes --------------------------------------------- */

/* linux/stddef.h defines __always_inline as plain `__inline__`, which clang may
 * ignore; BPF code relies on real inlining, so redefine it. */
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))

#ifndef __noinline
/* Keeps a function as a BPF subprogram (a `call` with src_reg 1) instead of inlining it. */
#define __noinline __attribute__((noinline))
#endif

#ifndef __weak
/* A weak symbol: an extern marked __weak may stay unresolved (its address reads as 0). */
#define __weak __attribute__((weak))
#endif

/*
 * An extern resolved against the kernel: a typed variable by its BTF VAR id
 * (BPF_PSEUDO_BTF_ID), a `const void` variable by its kallsyms address, a function
 * declaration as a kfunc (call with src_reg BPF_PSEUDO_KFUNC_CALL). The loader
 * finds these in the ".ksyms" DATASEC of the object's BTF.
 */
#define __ksym __attribute__((section(".ksyms")))

/*
 * An extern whose value the loader fills in from the kernel configuration
 * (CONFIG_*) or the running kernel (LINUX_KERNEL_VERSION). The values live in a
 * read-only ".kconfig" global-data map; the ".kconfig" DATASEC lists them.
 */
#define __kconfig __attribute__((section(".kconfig")))

/* True when the (weak) kernel symbol or kfunc was found by the loader. */
#define bpf_ksym_exists(sym) ((void *)&(sym) != (void *)0)

/* ---- BTF-defined maps (the ".maps" section) --------------------------------------- */
/*
 * A map is a global struct variable in SEC(".maps"). clang never emits the
 * struct's contents (it is all zero); the loader decodes each member's BTF type:
 *
 *   __uint(name, N)      member `int (*name)[N]`: pointer to an array of N ints,
 *                        so N is read from the BTF array's element count.
 *                        Names: type, max_entries, map_flags, key_size, value_size,
 *                        numa_node, pinning, map_extra.
 *   __type(name, T)      member `T *name`: the BTF type of key or value.
 *   __array(name, T)     member `T *name[]`: for PROG_ARRAY and map-in-map, the
 *                        element type; initialising it (.values = {[i] = &x})
 *                        leaves R_BPF_64_ABS64 relocations in ".rel.maps".
 *   __ulong(name, N)     a 64-bit attribute (map_extra) as an enum whose only
 *                        enumerator is N (BTF ENUM or ENUM64).
 */
#define SWIFT_XDP_CONCAT_(a, b) a##b
#define SWIFT_XDP_CONCAT(a, b) SWIFT_XDP_CONCAT_(a, b)

#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#define __ulong(name, val) enum { SWIFT_XDP_CONCAT(swift_xdp_ulong_, __COUNTER__) = (val) } name

/*
 * Values of the `pinning` map attribute, as libbpf-style loaders interpret them:
 * 0 = not pinned, 1 = pinned in bpffs under the map's name (default directory
 * /sys/fs/bpf) and reused by the next load if it is already there.
 */
enum {
	LIBBPF_PIN_NONE = 0,
	LIBBPF_PIN_BY_NAME = 1,
};

/* ---- Tracing ---------------------------------------------------------------------- */

/*
 * bpf_printk("format", args...) with at most three arguments. fmt must be a string
 * literal: it lands in ".rodata.str1.1" (a read-only global-data map once loaded),
 * which is what bpf_trace_printk requires of its format pointer.
 */
#define bpf_printk(fmt, ...) bpf_trace_printk(fmt, sizeof(fmt), ##__VA_ARGS__)

#endif /* SWIFT_XDP_BPF_H */
