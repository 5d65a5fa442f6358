import CBPF

/// A BPF link: an attachment of a program that lives as long as its fd (or its bpffs pin),
/// created with `BPF_LINK_CREATE`. For XDP, the link detaches the program from the interface
/// when the last reference goes away.
public final class BPFLink: Sendable, CustomStringConvertible {
    /// The owned descriptor.
    public let fd: FileDescriptor

    /// Attaches `program` to a network interface (`target_ifindex`) with `BPF_LINK_CREATE`.
    /// `flags` for XDP are the `XDP_FLAGS_*` mode bits (SKB 2, DRV 4, HW 8; 0: kernel's choice).
    public convenience init(program: BPFProgram, interfaceIndex: UInt32, attachType: BPFAttachType = .xdp, flags: UInt32 = 0) throws(BPFError) {
        try self.init(programFD: program.fd, target: interfaceIndex, attachType: attachType, flags: flags, object: program.name)
    }

    /// `BPF_LINK_CREATE` in general: `target` is `target_fd` or `target_ifindex` depending
    /// on the attach type; `targetBTFID` is `target_btf_id` (tracing).
    public init(programFD: FileDescriptor, target: UInt32, attachType: BPFAttachType, flags: UInt32 = 0,
                targetBTFID: UInt32 = 0, object: String? = nil) throws(BPFError) {
        var attr = cbpf_link_create_attr()
        attr.prog_fd = UInt32(bitPattern: programFD.rawValue)
        attr.target_ifindex = target
        attr.attach_type = attachType.rawValue
        attr.flags = flags
        attr.target_btf_id = targetBTFID
        fd = try BPFSyscall.callReturningFD(.linkCreate, &attr, object: object, fields: { attr in
            [.init("prog_fd", "\(attr.prog_fd)"), .init("target_ifindex", "\(attr.target_ifindex)"),
             .init("attach_type", BPFAttachType(rawValue: attr.attach_type).name),
             .init("flags", "0x" + String(attr.flags, radix: 16))]
        })
    }

    /// Takes ownership of a descriptor that refers to a link (from a pin or an id).
    public init(adopting fd: FileDescriptor) {
        self.fd = fd
    }

    /// Replaces the link's program (`BPF_LINK_UPDATE`); with `expected`, only if that is the
    /// current program (`BPF_F_REPLACE`), else `EPERM`.
    public func update(program: BPFProgram, expected: BPFProgram? = nil) throws(BPFError) {
        var attr = cbpf_link_update_attr()
        attr.link_fd = UInt32(bitPattern: fd.rawValue)
        attr.new_prog_fd = UInt32(bitPattern: program.fd.rawValue)
        if let expected {
            attr.flags = BPFLink.replaceFlag
            attr.old_prog_fd = UInt32(bitPattern: expected.fd.rawValue)
        }
        try BPFSyscall.call(.linkUpdate, &attr, object: program.name, fields: { attr in
            [.init("link_fd", "\(attr.link_fd)"), .init("new_prog_fd", "\(attr.new_prog_fd)"),
             .init("flags", "\(attr.flags)"), .init("old_prog_fd", "\(attr.old_prog_fd)")]
        })
    }

    /// Detaches now (`BPF_LINK_DETACH`), even if the link is pinned; the fd stays open but
    /// the link is defunct.
    public func detach() throws(BPFError) {
        var attr = cbpf_link_detach_attr()
        attr.link_fd = UInt32(bitPattern: fd.rawValue)
        try BPFSyscall.call(.linkDetach, &attr, fields: { attr in [.init("link_fd", "\(attr.link_fd)")] })
    }

    /// The kernel's description (`struct bpf_link_info`).
    public func info() throws(BPFError) -> BPFLinkInfo { try BPFLinkInfo(fd) }

    /// Closes the descriptor now (detaching, unless pinned or otherwise referenced).
    public func close() { fd.close() }

    /// `link (fd 8)`.
    public var description: String { "link (\(fd))" }

    /// `BPF_F_REPLACE` in linux/bpf.h.
    static let replaceFlag: UInt32 = 1 << 2
}

/// What the kernel reports about a link: the friendly form of `struct bpf_link_info`.
public struct BPFLinkInfo: Sendable, Equatable {
    /// `id`: the link's system-wide id (as in `bpftool link show`).
    public var id: UInt32
    /// `type`.
    public var type: BPFLinkType
    /// `prog_id`: the attached program.
    public var programID: UInt32
    /// `xdp.ifindex` for XDP links (0 otherwise, or once detached).
    public var interfaceIndex: UInt32

    /// Reads the info of the link behind `fd`.
    public init(_ fd: FileDescriptor, object: String? = nil) throws(BPFError) {
        let raw = try ObjectInfo.fetch(fd, empty: bpf_link_info(), object: object)
        id = raw.id
        type = BPFLinkType(rawValue: raw.type)
        programID = raw.prog_id
        interfaceIndex = type == .xdp ? raw.xdp.ifindex : 0
    }
}
