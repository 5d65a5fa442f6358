// CBPF: the kernel UAPI headers swift-xdp needs and non-variadic wrappers around syscall(2).
#ifndef CBPF_H
#define CBPF_H
#include <linux/bpf.h>
#endif
