/// Encodes one `struct bpf_insn` (8 bytes) in host byte order, for the few tiny programs
/// the kernel layer builds itself (feature probes, tests). Real programs come from the
/// object layer.
///
/// Layout (linux/bpf.h): `code` u8, `dst_reg:4` and `src_reg:4` sharing one byte (dst in the
/// low nibble on little-endian hosts, the high nibble on big-endian ones), `off` s16, `imm` s32.
public enum InstructionBytes {
    /// One instruction.
    public static func encode(code: UInt8, dst: UInt8 = 0, src: UInt8 = 0, offset: Int16 = 0, immediate: Int32 = 0) -> [UInt8] {
        let registers: UInt8 = ByteOrder.host == .little
            ? (dst & 0xf) | (src & 0xf) << 4
            : (dst & 0xf) << 4 | (src & 0xf)
        var bytes: [UInt8] = [code, registers]
        withUnsafeBytes(of: offset) { bytes += $0 }
        withUnsafeBytes(of: immediate) { bytes += $0 }
        return bytes
    }

    /// `r<dst> = imm` (`BPF_ALU64 | BPF_MOV | BPF_K`, 0xb7).
    public static func moveImmediate(_ dst: UInt8, _ value: Int32) -> [UInt8] {
        encode(code: 0xb7, dst: dst, immediate: value)
    }

    /// `call helper` (`BPF_JMP | BPF_CALL`, 0x85) with the helper's id.
    public static func callHelper(_ id: Int32) -> [UInt8] {
        encode(code: 0x85, immediate: id)
    }

    /// `exit` (`BPF_JMP | BPF_EXIT`, 0x95).
    public static let exit: [UInt8] = encode(code: 0x95)
}
