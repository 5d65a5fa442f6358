/// `flags` of `BPF_MAP_UPDATE_ELEM` (and lookup): mirrors `BPF_ANY`, `BPF_NOEXIST`,
/// `BPF_EXIST` and `BPF_F_LOCK` in linux/bpf.h.
public struct BPFMapUpdateFlags: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The kernel's value.
    public let rawValue: UInt64
    /// Wraps a value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// `BPF_ANY` (0): create or replace.
    public static let any = BPFMapUpdateFlags(rawValue: 0)
    /// `BPF_NOEXIST` (1): create only; `EEXIST` if the key is there.
    public static let noExist = BPFMapUpdateFlags(rawValue: 1)
    /// `BPF_EXIST` (2): replace only; `ENOENT` if the key is missing.
    public static let exist = BPFMapUpdateFlags(rawValue: 2)
    /// `BPF_F_LOCK` (4): take the value's `bpf_spin_lock` (combine with one of the above).
    public static let lock = BPFMapUpdateFlags(rawValue: 4)

    /// `BPF_ANY`, `BPF_NOEXIST`, `BPF_EXIST`, with `|BPF_F_LOCK` if set.
    public var description: String {
        let base: String
        switch rawValue & 3 {
        case 0: base = "BPF_ANY"
        case 1: base = "BPF_NOEXIST"
        case 2: base = "BPF_EXIST"
        default: base = "\(rawValue & 3)"
        }
        return rawValue & 4 != 0 ? base + "|BPF_F_LOCK" : base
    }

    /// Combines a mode with `BPF_F_LOCK`.
    public func union(_ other: BPFMapUpdateFlags) -> BPFMapUpdateFlags {
        BPFMapUpdateFlags(rawValue: rawValue | other.rawValue)
    }
}


