/// The name of a map or program as the kernel stores it: `char name[BPF_OBJ_NAME_LEN]`
/// (16 bytes, NUL-terminated) in `bpf_attr.map_name` / `prog_name` and the info structs.
///
/// The kernel accepts only letters, digits, `_` and `.` (anything else is `EINVAL`), so
/// ``init(_:)`` replaces other bytes with `_` and keeps the first 15 bytes.
public struct BPFObjectName: Sendable, Hashable, CustomStringConvertible {
    /// `BPF_OBJ_NAME_LEN` in linux/bpf.h, including the terminating NUL.
    public static let capacity = 16

    /// The name as it will be sent (at most 15 ASCII bytes).
    public let value: String

    /// Makes `name` acceptable to the kernel: invalid bytes become `_`, then it is cut to
    /// 15 bytes.
    public init(_ name: String) {
        let bytes = name.utf8.prefix(BPFObjectName.capacity - 1).map { byte -> UInt8 in
            BPFObjectName.isAllowed(byte) ? byte : UInt8(ascii: "_")
        }
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// The name found in a kernel struct: the bytes up to the first NUL.
    init<Bytes: Collection>(kernelBytes: Bytes) where Bytes.Element == UInt8 {
        value = String(decoding: kernelBytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Letters, digits, `_` and `.`: what `bpf_obj_name_cpy()` in the kernel accepts.
    public static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    /// Copies the name, NUL-padded, into a `char[16]` field of a kernel struct.
    func write<Field>(into field: inout Field) {
        withUnsafeMutableBytes(of: &field) { buffer in
            precondition(buffer.count == BPFObjectName.capacity, "not a char[BPF_OBJ_NAME_LEN] field")
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            for (index, byte) in value.utf8.enumerated() { buffer[index] = byte }
        }
    }

    /// Reads a `char[16]` field of a kernel struct.
    static func read<Field>(from field: Field) -> String {
        withUnsafeBytes(of: field) { BPFObjectName(kernelBytes: $0).value }
    }

    /// The name.
    public var description: String { value }
}
