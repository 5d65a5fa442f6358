import CBPF
import Foundation
import Glibc
import Testing

/// Checks the C shim's attr structs against the running kernel's own definition of
/// `union bpf_attr`, read from its BTF with `bpftool btf dump file /sys/kernel/btf/vmlinux
/// format raw` (a reference independent of the installed header and of our constants).
@Suite struct AttrLayoutKernelBTFTests {
    static let vmlinux = "/sys/kernel/btf/vmlinux"
    static let available = FileManager.default.fileExists(atPath: vmlinux)
        && ((try? Tool.run("bpftool", ["version"]).status) == 0)

    /// One member of a BTF struct or union.
    struct Member { var name: String; var typeID: Int; var bitOffset: Int }
    /// A BTF type as far as this test needs it.
    struct RawType { var kind: String; var name: String; var members: [Member] }

    /// `format raw` output, indexed by type id (the dump is large, so types are parsed only
    /// when asked for).
    struct RawDump {
        let bytes: [UInt8]
        /// Type id → the byte range of its `[id] KIND 'name' …` line and member lines.
        var blocks: [Int: Range<Int>] = [:]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var starts: [(id: Int, start: Int)] = []
            bytes.withUnsafeBufferPointer { buffer in
                var position = 0
                while position < buffer.count {
                    if buffer[position] == UInt8(ascii: "[") {
                        var id = 0
                        var cursor = position + 1
                        while cursor < buffer.count, buffer[cursor] >= 48, buffer[cursor] <= 57 {
                            id = id * 10 + Int(buffer[cursor] - 48)
                            cursor += 1
                        }
                        starts.append((id, position))
                    }
                    let rest = buffer.count - position
                    guard let newline = memchr(buffer.baseAddress! + position, 10, rest) else { break }
                    position = buffer.baseAddress!.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                }
            }
            for (index, entry) in starts.enumerated() {
                let end = index + 1 < starts.count ? starts[index + 1].start : bytes.count
                blocks[entry.id] = entry.start..<end
            }
        }

        /// The parsed type with this id.
        func type(_ id: Int) -> RawType? {
            guard let range = blocks[id] else { return nil }
            let lines = String(decoding: bytes[range], as: UTF8.self).split(separator: "\n")
            guard let header = lines.first else { return nil }
            let parts = header.split(separator: " ")
            guard parts.count >= 3 else { return nil }
            var type = RawType(kind: String(parts[1]), name: String(parts[2].dropFirst().dropLast()), members: [])
            for line in lines.dropFirst() where line.hasPrefix("\t'") {
                let fields = line.dropFirst().split(separator: " ")
                guard fields.count >= 3, let typeID = Int(fields[1].split(separator: "=").last ?? ""),
                      let bits = Int(fields[2].split(separator: "=").last ?? "") else { continue }
                type.members.append(Member(name: String(fields[0].dropFirst().dropLast()), typeID: typeID, bitOffset: bits))
            }
            return type
        }
    }

    /// Field name → byte offset, with anonymous structs and unions flattened.
    static func flatten(_ id: Int, _ types: RawDump, base: Int = 0) -> [String: Int] {
        var result: [String: Int] = [:]
        for member in types.type(id)?.members ?? [] {
            let offset = base + member.bitOffset / 8
            if member.name == "(anon)" {
                result.merge(flatten(member.typeID, types, base: offset)) { first, _ in first }
            } else {
                result[member.name] = offset
            }
        }
        return result
    }

    /// The flattened layout of each member of `union bpf_attr`, keyed by the member's name
    /// or, for anonymous members, by their first field.
    static func kernelAttrLayouts() throws -> [String: [String: Int]] {
        let (_, text) = try Tool.run("bpftool", ["btf", "dump", "file", vmlinux, "format", "raw"])
        let bytes = Array(text.utf8)
        let marker = Array("UNION 'bpf_attr' ".utf8)
        let types = RawDump(bytes)
        let attrID = try #require(types.blocks.first { _, range in
            bytes[range].prefix { $0 != 10 }.firstRange(of: marker) != nil
        }?.key)
        let attr = try #require(types.type(attrID))
        var layouts: [String: [String: Int]] = [:]
        for member in attr.members {
            let layout = flatten(member.typeID, types)
            var key = member.name
            if key == "(anon)", let first = types.type(member.typeID)?.members.first {
                // Anonymous members are named by their first field ("(union)start_id" when
                // that field is itself an anonymous union).
                key = first.name != "(anon)" ? first.name
                    : "(union)" + (types.type(first.typeID)?.members.first?.name ?? "")
            }
            layouts[key] = layout
        }
        return layouts
    }

    func offset<T>(_ path: PartialKeyPath<T>) -> Int { MemoryLayout<T>.offset(of: path) ?? -1 }

    @Test(.enabled(if: available, "needs bpftool and /sys/kernel/btf/vmlinux"))
    func attrStructsMatchTheRunningKernel() throws {
        let kernel = try Self.kernelAttrLayouts()
        // (kernel member of union bpf_attr, kernel field, our offset)
        let checks: [(String, String, Int)] = [
            ("map_type", "key_size", offset(\cbpf_map_create_attr.key_size)),
            ("map_type", "map_name", offset(\cbpf_map_create_attr.map_name)),
            ("map_type", "map_ifindex", offset(\cbpf_map_create_attr.map_ifindex)),
            ("map_type", "btf_vmlinux_value_type_id", offset(\cbpf_map_create_attr.btf_vmlinux_value_type_id)),
            ("map_type", "map_extra", offset(\cbpf_map_create_attr.map_extra)),
            ("map_type", "value_type_btf_obj_fd", offset(\cbpf_map_create_attr.value_type_btf_obj_fd)),
            ("map_type", "map_token_fd", offset(\cbpf_map_create_attr.map_token_fd)),
            ("map_fd", "key", offset(\cbpf_map_elem_attr.key)),
            ("map_fd", "next_key", offset(\cbpf_map_elem_attr.value_or_next_key)),
            ("map_fd", "flags", offset(\cbpf_map_elem_attr.flags)),
            ("batch", "out_batch", offset(\cbpf_map_batch_attr.out_batch)),
            ("batch", "keys", offset(\cbpf_map_batch_attr.keys)),
            ("batch", "values", offset(\cbpf_map_batch_attr.values)),
            ("batch", "count", offset(\cbpf_map_batch_attr.count)),
            ("batch", "map_fd", offset(\cbpf_map_batch_attr.map_fd)),
            ("batch", "elem_flags", offset(\cbpf_map_batch_attr.elem_flags)),
            ("batch", "flags", offset(\cbpf_map_batch_attr.flags)),
            ("prog_type", "insns", offset(\cbpf_prog_load_attr.insns)),
            ("prog_type", "license", offset(\cbpf_prog_load_attr.license)),
            ("prog_type", "log_buf", offset(\cbpf_prog_load_attr.log_buf)),
            ("prog_type", "prog_name", offset(\cbpf_prog_load_attr.prog_name)),
            ("prog_type", "expected_attach_type", offset(\cbpf_prog_load_attr.expected_attach_type)),
            ("prog_type", "func_info", offset(\cbpf_prog_load_attr.func_info)),
            ("prog_type", "line_info", offset(\cbpf_prog_load_attr.line_info)),
            ("prog_type", "attach_prog_fd", offset(\cbpf_prog_load_attr.attach_prog_fd)),
            ("prog_type", "fd_array", offset(\cbpf_prog_load_attr.fd_array)),
            ("prog_type", "log_true_size", offset(\cbpf_prog_load_attr.log_true_size)),
            ("prog_type", "prog_token_fd", offset(\cbpf_prog_load_attr.prog_token_fd)),
            ("prog_type", "fd_array_cnt", offset(\cbpf_prog_load_attr.fd_array_cnt)),
            ("pathname", "bpf_fd", offset(\cbpf_obj_pin_attr.bpf_fd)),
            ("pathname", "file_flags", offset(\cbpf_obj_pin_attr.file_flags)),
            ("pathname", "path_fd", offset(\cbpf_obj_pin_attr.path_fd)),
            ("test", "data_out", offset(\cbpf_prog_test_run_attr.data_out)),
            ("test", "repeat", offset(\cbpf_prog_test_run_attr.repeat)),
            ("test", "ctx_out", offset(\cbpf_prog_test_run_attr.ctx_out)),
            ("test", "cpu", offset(\cbpf_prog_test_run_attr.cpu)),
            ("test", "batch_size", offset(\cbpf_prog_test_run_attr.batch_size)),
            ("(union)start_id", "next_id", offset(\cbpf_obj_id_attr.next_id)),
            ("(union)start_id", "open_flags", offset(\cbpf_obj_id_attr.open_flags)),
            ("(union)start_id", "fd_by_id_token_fd", offset(\cbpf_obj_id_attr.fd_by_id_token_fd)),
            ("info", "info_len", offset(\cbpf_obj_info_attr.info_len)),
            ("info", "info", offset(\cbpf_obj_info_attr.info)),
            ("btf", "btf_size", offset(\cbpf_btf_load_attr.btf_size)),
            ("btf", "btf_log_level", offset(\cbpf_btf_load_attr.btf_log_level)),
            ("btf", "btf_log_true_size", offset(\cbpf_btf_load_attr.btf_log_true_size)),
            ("btf", "btf_token_fd", offset(\cbpf_btf_load_attr.btf_token_fd)),
            ("link_create", "target_ifindex", offset(\cbpf_link_create_attr.target_ifindex)),
            ("link_create", "attach_type", offset(\cbpf_link_create_attr.attach_type)),
            ("link_create", "flags", offset(\cbpf_link_create_attr.flags)),
            ("link_create", "target_btf_id", offset(\cbpf_link_create_attr.target_btf_id)),
            ("link_update", "new_prog_fd", offset(\cbpf_link_update_attr.new_prog_fd)),
            ("link_update", "flags", offset(\cbpf_link_update_attr.flags)),
            ("link_update", "old_prog_fd", offset(\cbpf_link_update_attr.old_prog_fd)),
        ]
        var compared = 0
        for (member, field, ours) in checks {
            let layout = try #require(kernel[member], "no member starting with \(member) in union bpf_attr")
            // Fields the running kernel is too old to have are skipped.
            guard let theirs = layout[field] else { continue }
            #expect(ours == theirs, "\(member).\(field): ours \(ours), kernel \(theirs)")
            compared += 1
        }
        // Every kernel swift-xdp supports has most of them; a parsing slip would find none.
        #expect(compared >= checks.count * 2 / 3, "only \(compared) of \(checks.count) fields found")
    }
}
