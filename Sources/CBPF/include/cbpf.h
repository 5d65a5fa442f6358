// CBPF: the kernel UAPI headers swift-xdp needs, the bpf() argument layouts it sends, and
// non-variadic wrappers around syscall(2) (Swift cannot call variadic C functions).
//
// Why our own argument structs instead of `union bpf_attr`?
//   The installed UAPI header (linux-libc-dev) is often older than the running kernel: a 6.1
//   header has no `log_true_size` (added in 6.4) although the loader wants it. Each
//   `cbpf_*_attr` below is the member of `union bpf_attr` for one command, field for field as
//   in the current kernel (linux/bpf.h), so it is independent of the header's age. The
//   `_Static_assert`s check every field the installed header also has, and the Swift tests
//   check the sizes and offsets again. The kernel accepts a shorter attr (missing fields read
//   as zero) and a longer one as long as the bytes it does not know are zero.
#ifndef CBPF_H
#define CBPF_H

#ifdef __linux__

#include <errno.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/// `bpf(cmd, attr, size)`: returns the result (an fd or 0) or `-errno` on failure, so the
/// caller never reads `errno` across the language boundary.
static inline int cbpf_bpf(int cmd, void *attr, unsigned int size) {
    long result = syscall(__NR_bpf, cmd, attr, size);
    return result < 0 ? -errno : (int)result;
}

/// `setns(fd, nstype)` (setns(2)): glibc declares it only under `_GNU_SOURCE`, which Swift's
/// Glibc module does not define. Returns 0 or `-errno`, like ``cbpf_bpf``.
static inline int cbpf_setns(int fd, int nstype) {
    long result = syscall(__NR_setns, fd, nstype);
    return result < 0 ? -errno : 0;
}

/// `BPF_MAP_CREATE` member of `union bpf_attr`.
struct cbpf_map_create_attr {
    __u32 map_type;
    __u32 key_size;
    __u32 value_size;
    __u32 max_entries;
    __u32 map_flags;
    __u32 inner_map_fd;
    __u32 numa_node;
    char map_name[BPF_OBJ_NAME_LEN];
    __u32 map_ifindex;
    __u32 btf_fd;
    __u32 btf_key_type_id;
    __u32 btf_value_type_id;
    __u32 btf_vmlinux_value_type_id;
    __aligned_u64 map_extra;
    __s32 value_type_btf_obj_fd;   // 6.9
    __s32 map_token_fd;            // 6.9
};

/// `BPF_MAP_*_ELEM`, `BPF_MAP_GET_NEXT_KEY` and `BPF_MAP_FREEZE` member of `union bpf_attr`.
struct cbpf_map_elem_attr {
    __u32 map_fd;
    __u32 pad0;
    __aligned_u64 key;
    __aligned_u64 value_or_next_key;   // `value` for lookup/update, `next_key` for GET_NEXT_KEY
    __aligned_u64 flags;
};

/// `BPF_MAP_LOOKUP_BATCH` (and the other `BPF_MAP_*_BATCH` commands) member (`batch`) of
/// `union bpf_attr`.
struct cbpf_map_batch_attr {
    __aligned_u64 in_batch;        // where to start: NULL for the beginning, else an out_batch
    __aligned_u64 out_batch;       // written back: where the next batch starts
    __aligned_u64 keys;            // count × key_size bytes
    __aligned_u64 values;          // count × value bytes (per-CPU: rounded up to 8 × CPUs)
    __u32 count;                   // in: room for this many elements; out: elements written
    __u32 map_fd;
    __aligned_u64 elem_flags;      // BPF_F_LOCK or 0
    __aligned_u64 flags;           // must be 0
};

/// `BPF_PROG_LOAD` member of `union bpf_attr`.
struct cbpf_prog_load_attr {
    __u32 prog_type;
    __u32 insn_cnt;
    __aligned_u64 insns;
    __aligned_u64 license;
    __u32 log_level;
    __u32 log_size;
    __aligned_u64 log_buf;
    __u32 kern_version;
    __u32 prog_flags;
    char prog_name[BPF_OBJ_NAME_LEN];
    __u32 prog_ifindex;
    __u32 expected_attach_type;
    __u32 prog_btf_fd;
    __u32 func_info_rec_size;
    __aligned_u64 func_info;
    __u32 func_info_cnt;
    __u32 line_info_rec_size;
    __aligned_u64 line_info;
    __u32 line_info_cnt;
    __u32 attach_btf_id;
    __u32 attach_prog_fd;          // also `attach_btf_obj_fd`
    __u32 core_relo_cnt;
    __aligned_u64 fd_array;
    __aligned_u64 core_relos;
    __u32 core_relo_rec_size;
    __u32 log_true_size;           // 6.4: written back by the kernel
    __s32 prog_token_fd;           // 6.9
    __u32 fd_array_cnt;            // 6.14
};

/// `BPF_OBJ_PIN` / `BPF_OBJ_GET` member of `union bpf_attr`.
struct cbpf_obj_pin_attr {
    __aligned_u64 pathname;
    __u32 bpf_fd;
    __u32 file_flags;
    __s32 path_fd;                 // 6.5, only with BPF_F_PATH_FD
    __u32 pad0;
};

/// `BPF_PROG_TEST_RUN` member (`test`) of `union bpf_attr`.
struct cbpf_prog_test_run_attr {
    __u32 prog_fd;
    __u32 retval;
    __u32 data_size_in;
    __u32 data_size_out;
    __aligned_u64 data_in;
    __aligned_u64 data_out;
    __u32 repeat;
    __u32 duration;
    __u32 ctx_size_in;
    __u32 ctx_size_out;
    __aligned_u64 ctx_in;
    __aligned_u64 ctx_out;
    __u32 flags;
    __u32 cpu;
    __u32 batch_size;
    __u32 pad0;
};

/// `BPF_*_GET_NEXT_ID` / `BPF_*_GET_FD_BY_ID` member of `union bpf_attr`.
struct cbpf_obj_id_attr {
    __u32 id;                      // `start_id`, `prog_id`, `map_id`, `btf_id` or `link_id`
    __u32 next_id;
    __u32 open_flags;
    __s32 fd_by_id_token_fd;       // 6.17
};

/// `BPF_PROG_BIND_MAP` member (`prog_bind_map`) of `union bpf_attr`.
struct cbpf_prog_bind_map_attr {
    __u32 prog_fd;
    __u32 map_fd;
    __u32 flags;
};

/// `BPF_OBJ_GET_INFO_BY_FD` member (`info`) of `union bpf_attr`.
struct cbpf_obj_info_attr {
    __u32 bpf_fd;
    __u32 info_len;
    __aligned_u64 info;
};

/// `BPF_BTF_LOAD` member of `union bpf_attr`.
struct cbpf_btf_load_attr {
    __aligned_u64 btf;
    __aligned_u64 btf_log_buf;
    __u32 btf_size;
    __u32 btf_log_size;
    __u32 btf_log_level;
    __u32 btf_log_true_size;       // 6.4: written back by the kernel
    __u32 btf_flags;               // 6.9
    __s32 btf_token_fd;            // 6.9
};

/// `BPF_LINK_CREATE` member (`link_create`) of `union bpf_attr`, with the first word of its
/// per-attach-type union (`target_btf_id`); XDP needs nothing past `flags`.
struct cbpf_link_create_attr {
    __u32 prog_fd;
    __u32 target_ifindex;          // also `target_fd`
    __u32 attach_type;
    __u32 flags;
    __u32 target_btf_id;
};

/// `BPF_LINK_UPDATE` member (`link_update`) of `union bpf_attr`.
struct cbpf_link_update_attr {
    __u32 link_fd;
    __u32 new_prog_fd;
    __u32 flags;
    __u32 old_prog_fd;
};

/// `BPF_LINK_DETACH` member (`link_detach`) of `union bpf_attr`.
struct cbpf_link_detach_attr {
    __u32 link_fd;
};

// Every field the installed header also has must sit at the same offset.
#define CBPF_SAME_OFFSET(ours, field, theirs) \
    _Static_assert(offsetof(struct ours, field) == offsetof(union bpf_attr, theirs), #ours "." #field)

CBPF_SAME_OFFSET(cbpf_map_create_attr, map_name, map_name);
CBPF_SAME_OFFSET(cbpf_map_create_attr, map_ifindex, map_ifindex);
CBPF_SAME_OFFSET(cbpf_map_create_attr, btf_vmlinux_value_type_id, btf_vmlinux_value_type_id);
CBPF_SAME_OFFSET(cbpf_map_create_attr, map_extra, map_extra);
CBPF_SAME_OFFSET(cbpf_map_elem_attr, key, key);
CBPF_SAME_OFFSET(cbpf_map_elem_attr, value_or_next_key, value);
CBPF_SAME_OFFSET(cbpf_map_elem_attr, flags, flags);
CBPF_SAME_OFFSET(cbpf_map_batch_attr, out_batch, batch.out_batch);
CBPF_SAME_OFFSET(cbpf_map_batch_attr, count, batch.count);
CBPF_SAME_OFFSET(cbpf_map_batch_attr, map_fd, batch.map_fd);
CBPF_SAME_OFFSET(cbpf_map_batch_attr, elem_flags, batch.elem_flags);
CBPF_SAME_OFFSET(cbpf_map_batch_attr, flags, batch.flags);
CBPF_SAME_OFFSET(cbpf_prog_load_attr, prog_name, prog_name);
CBPF_SAME_OFFSET(cbpf_prog_load_attr, expected_attach_type, expected_attach_type);
CBPF_SAME_OFFSET(cbpf_prog_load_attr, line_info_cnt, line_info_cnt);
CBPF_SAME_OFFSET(cbpf_prog_load_attr, attach_prog_fd, attach_prog_fd);
CBPF_SAME_OFFSET(cbpf_prog_load_attr, fd_array, fd_array);
CBPF_SAME_OFFSET(cbpf_prog_load_attr, core_relo_rec_size, core_relo_rec_size);
CBPF_SAME_OFFSET(cbpf_obj_pin_attr, bpf_fd, bpf_fd);
CBPF_SAME_OFFSET(cbpf_obj_pin_attr, file_flags, file_flags);
CBPF_SAME_OFFSET(cbpf_prog_test_run_attr, ctx_out, test.ctx_out);
CBPF_SAME_OFFSET(cbpf_prog_test_run_attr, batch_size, test.batch_size);
CBPF_SAME_OFFSET(cbpf_obj_id_attr, next_id, next_id);
CBPF_SAME_OFFSET(cbpf_obj_id_attr, open_flags, open_flags);
CBPF_SAME_OFFSET(cbpf_obj_info_attr, info, info.info);
CBPF_SAME_OFFSET(cbpf_btf_load_attr, btf_log_level, btf_log_level);
CBPF_SAME_OFFSET(cbpf_link_create_attr, flags, link_create.flags);
CBPF_SAME_OFFSET(cbpf_link_create_attr, target_btf_id, link_create.target_btf_id);
CBPF_SAME_OFFSET(cbpf_link_update_attr, old_prog_fd, link_update.old_prog_fd);

#undef CBPF_SAME_OFFSET

#endif // __linux__
#endif // CBPF_H
