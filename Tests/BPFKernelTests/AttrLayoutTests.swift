import CBPF
import Testing

/// The C shim's `cbpf_*_attr` structs and the UAPI info structs must have the kernel's
/// layout: these offsets are the kernel ABI (linux/bpf.h, checked against the running
/// kernel's BTF with `bpftool btf dump file /sys/kernel/btf/vmlinux format c`).
@Suite struct AttrLayoutTests {
    func offset<T>(_ path: PartialKeyPath<T>) -> Int? { MemoryLayout<T>.offset(of: path) }

    @Test func mapCreate() {
        #expect(MemoryLayout<cbpf_map_create_attr>.size == 80)
        #expect(offset(\cbpf_map_create_attr.max_entries) == 12)
        #expect(offset(\cbpf_map_create_attr.numa_node) == 24)
        #expect(offset(\cbpf_map_create_attr.map_name) == 28)
        #expect(offset(\cbpf_map_create_attr.map_ifindex) == 44)
        #expect(offset(\cbpf_map_create_attr.btf_fd) == 48)
        #expect(offset(\cbpf_map_create_attr.btf_vmlinux_value_type_id) == 60)
        #expect(offset(\cbpf_map_create_attr.map_extra) == 64)
        #expect(offset(\cbpf_map_create_attr.map_token_fd) == 76)
    }

    @Test func mapElement() {
        #expect(MemoryLayout<cbpf_map_elem_attr>.size == 32)
        #expect(offset(\cbpf_map_elem_attr.key) == 8)
        #expect(offset(\cbpf_map_elem_attr.value_or_next_key) == 16)
        #expect(offset(\cbpf_map_elem_attr.flags) == 24)
    }

    @Test func mapBatch() {
        #expect(MemoryLayout<cbpf_map_batch_attr>.size == 56)
        #expect(offset(\cbpf_map_batch_attr.out_batch) == 8)
        #expect(offset(\cbpf_map_batch_attr.keys) == 16)
        #expect(offset(\cbpf_map_batch_attr.values) == 24)
        #expect(offset(\cbpf_map_batch_attr.count) == 32)
        #expect(offset(\cbpf_map_batch_attr.map_fd) == 36)
        #expect(offset(\cbpf_map_batch_attr.elem_flags) == 40)
        #expect(offset(\cbpf_map_batch_attr.flags) == 48)
    }

    @Test func progLoad() {
        #expect(MemoryLayout<cbpf_prog_load_attr>.size == 152)
        #expect(offset(\cbpf_prog_load_attr.insns) == 8)
        #expect(offset(\cbpf_prog_load_attr.license) == 16)
        #expect(offset(\cbpf_prog_load_attr.log_level) == 24)
        #expect(offset(\cbpf_prog_load_attr.log_buf) == 32)
        #expect(offset(\cbpf_prog_load_attr.kern_version) == 40)
        #expect(offset(\cbpf_prog_load_attr.prog_name) == 48)
        #expect(offset(\cbpf_prog_load_attr.expected_attach_type) == 68)
        #expect(offset(\cbpf_prog_load_attr.func_info) == 80)
        #expect(offset(\cbpf_prog_load_attr.line_info) == 96)
        #expect(offset(\cbpf_prog_load_attr.attach_prog_fd) == 112)
        #expect(offset(\cbpf_prog_load_attr.fd_array) == 120)
        #expect(offset(\cbpf_prog_load_attr.core_relo_rec_size) == 136)
        #expect(offset(\cbpf_prog_load_attr.log_true_size) == 140)
        #expect(offset(\cbpf_prog_load_attr.fd_array_cnt) == 148)
    }

    @Test func smallCommands() {
        #expect(MemoryLayout<cbpf_obj_pin_attr>.size == 24)
        #expect(offset(\cbpf_obj_pin_attr.bpf_fd) == 8)
        #expect(offset(\cbpf_obj_pin_attr.file_flags) == 12)
        #expect(offset(\cbpf_obj_pin_attr.path_fd) == 16)

        #expect(MemoryLayout<cbpf_prog_test_run_attr>.size == 80)
        #expect(offset(\cbpf_prog_test_run_attr.data_in) == 16)
        #expect(offset(\cbpf_prog_test_run_attr.repeat) == 32)
        #expect(offset(\cbpf_prog_test_run_attr.ctx_in) == 48)
        #expect(offset(\cbpf_prog_test_run_attr.flags) == 64)
        #expect(offset(\cbpf_prog_test_run_attr.batch_size) == 72)

        #expect(MemoryLayout<cbpf_obj_id_attr>.size == 16)
        #expect(offset(\cbpf_obj_id_attr.open_flags) == 8)
        #expect(MemoryLayout<cbpf_obj_info_attr>.size == 16)
        #expect(offset(\cbpf_obj_info_attr.info) == 8)

        #expect(MemoryLayout<cbpf_btf_load_attr>.size == 40)
        #expect(offset(\cbpf_btf_load_attr.btf_size) == 16)
        #expect(offset(\cbpf_btf_load_attr.btf_log_true_size) == 28)

        #expect(offset(\cbpf_link_create_attr.attach_type) == 8)
        #expect(offset(\cbpf_link_create_attr.flags) == 12)
        #expect(offset(\cbpf_link_create_attr.target_btf_id) == 16)
        #expect(MemoryLayout<cbpf_link_update_attr>.size == 16)
        #expect(offset(\cbpf_link_update_attr.old_prog_fd) == 12)
        #expect(MemoryLayout<cbpf_link_detach_attr>.size == 4)
    }

    /// The info structs come from the installed UAPI header; their offsets are ABI.
    @Test func infoStructs() {
        #expect(offset(\bpf_map_info.name) == 24)
        #expect(offset(\bpf_map_info.btf_id) == 64)
        #expect(offset(\bpf_map_info.btf_value_type_id) == 72)
        #expect(offset(\bpf_map_info.map_extra) == 80)
        #expect(offset(\bpf_prog_info.tag) == 8)
        #expect(offset(\bpf_prog_info.xlated_prog_insns) == 32)
        #expect(offset(\bpf_prog_info.map_ids) == 56)
        #expect(offset(\bpf_prog_info.name) == 64)
        #expect(offset(\bpf_prog_info.btf_id) == 128)
        #expect(offset(\bpf_prog_info.run_cnt) == 200)
        #expect(offset(\bpf_prog_info.verified_insns) == 216)
        #expect(MemoryLayout<bpf_prog_info>.size >= 232)
        #expect(offset(\bpf_btf_info.name) == 16)
        #expect(offset(\bpf_btf_info.kernel_btf) == 28)
        #expect(offset(\bpf_link_info.prog_id) == 8)
        #expect(MemoryLayout<bpf_link_info>.size >= 24)
        #expect(MemoryLayout<bpf_insn>.size == 8)
        // The installed header's union must at least cover what it shares with our structs.
        #expect(MemoryLayout<bpf_attr>.size >= 144)
    }
}
