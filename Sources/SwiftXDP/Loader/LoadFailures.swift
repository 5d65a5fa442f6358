/// The object was built for the other byte order (`-target bpfeb` on a little-endian machine).
public struct ForeignByteOrder: Error, CustomStringConvertible {
    /// The object's byte order.
    public var object: ByteOrder
    public var description: String {
        "the object is \(object == .big ? "big" : "little")-endian, but this machine runs "
            + "\(ByteOrder.host == .big ? "big" : "little")-endian BPF; rebuild it with -target bpf"
    }
}

/// `--program NAME` names no program of the object.
public struct UnknownProgram: Error, CustomStringConvertible {
    /// The requested name.
    public var name: String
    /// The object's programs.
    public var available: [String]
    public var description: String {
        "no program named '\(name)'; the object has: \(available.joined(separator: ", "))"
    }
}

/// A program's section name matches no known `SEC()` convention, so its type is unknown.
public struct UnknownSection: Error, CustomStringConvertible {
    /// The section name.
    public var section: String
    public var description: String {
        "section '\(section)' names no known program type (see libbpf's SEC() names, e.g. xdp, tc, kprobe/…)"
    }
}

/// A `.values` slot names a map that was not created.
public struct MissingSlotTarget: Error, CustomStringConvertible {
    /// The slot index.
    public var slot: Int
    /// The missing target.
    public var target: String
    public var description: String { "slot \(slot) refers to '\(target)', which was not created" }
}

/// A map pinned by name already exists with different attributes.
public struct IncompatiblePin: Error, CustomStringConvertible {
    /// The pin path.
    public var path: String
    /// What differs.
    public var difference: String
    public var description: String { "pinned map at \(path) is incompatible: \(difference)" }
}
