/* SPDX-License-Identifier: GPL-2.0 */
/*
 * externs.bpf.c - extern symbols the loader resolves against the running kernel.
 * They are undefined (SHN_UNDEF) in the ELF symbol table; BTF lists them in two
 * DATASECs, ".kconfig" and ".ksyms", with `extern` linkage.
 *
 *   .kconfig  LINUX_KERNEL_VERSION                  the running kernel's version
 *             CONFIG_BPF_SYSCALL (bool)             from /proc/config.gz (=y)
 *             CONFIG_HZ (int, weak)                 from /proc/config.gz
 *             CONFIG_SWIFT_XDP_NO_SUCH_OPTION       weak, absent: reads as false
 *             The loader builds a read-only global-data map from these values;
 *             the program reads them with ld_imm64 + loads, as for .rodata.
 *   .ksyms    _text (typeless, const void)          address from /proc/kallsyms,
 *                                                   patched into the ld_imm64
 *             swift_xdp_no_such_percpu (typed int,  looked up as a BTF VAR in
 *                                       weak)       vmlinux; absent, so its
 *                                                   address reads as 0
 *             bpf_cast_to_kern_ctx (kfunc)          a kernel function callable from
 *                                                   any program type (call with
 *                                                   src_reg BPF_PSEUDO_KFUNC_CALL)
 *
 * Not here on purpose: a typed ksym that exists, such as
 * `extern const int bpf_prog_active __ksym;`. The kernel resolves its address with
 * kallsyms_lookup_name(), which finds data symbols only with CONFIG_KALLSYMS_ALL=y;
 * the project's test kernel has it off, so the load would fail with
 * "ldimm64 failed to find the address for kernel symbol 'bpf_prog_active'".
 */
#include <stdbool.h>
#include "swift_xdp_bpf.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern bool CONFIG_SWIFT_XDP_NO_SUCH_OPTION __kconfig __weak;

extern const void _text __ksym;
extern const int swift_xdp_no_such_percpu __ksym __weak;

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

/* Results the program leaves for user space to read (.bss). */
__u64 kernel_text_address;
__u32 observed_version;
__u32 observed_hz;

SEC("xdp")
int xdp_externs(struct xdp_md *ctx)
{
	observed_version = LINUX_KERNEL_VERSION;
	observed_hz = CONFIG_HZ;
	kernel_text_address = (__u64)&_text;

	if (bpf_ksym_exists(swift_xdp_no_such_percpu))
		return XDP_ABORTED;

	/* The kernel's struct xdp_buff behind ctx; never NULL for a valid ctx. */
	void *kernel_ctx = bpf_cast_to_kern_ctx(ctx);
	if (!kernel_ctx)
		return XDP_ABORTED;

	if (!CONFIG_BPF_SYSCALL || CONFIG_SWIFT_XDP_NO_SUCH_OPTION)
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
