import CBPF

/// BTF type information loaded into the kernel (`BPF_BTF_LOAD`), owning its fd.
///
/// Maps refer to it for their key/value types (`btf_fd` of `BPF_MAP_CREATE`) and programs for
/// their functions and source lines (`prog_btf_fd` of `BPF_PROG_LOAD`). Named a handle to keep
/// it apart from the object layer's parsed BTF.
public final class BTFHandle: Sendable, CustomStringConvertible {
    /// The owned descriptor.
    public let fd: FileDescriptor
    /// What the caller called it, for errors (e.g. the object file name); not sent to the kernel.
    public let label: String?
    /// The kernel's BTF log, when ``VerifierLogOptions/always`` asked for it.
    public let log: String?

    /// Loads raw BTF (the bytes of a `.BTF` section: `struct btf_header`, types, strings).
    /// On failure the load is repeated with a log, per `logOptions`, and the log is in the error.
    public init(loading bytes: [UInt8], label: String? = nil, logOptions: VerifierLogOptions = .onFailure) throws(BPFError) {
        let (result, log) = VerifierLogCollector.load(logOptions) { request in
            bytes.withUnsafeBytes { data in
                var attr = cbpf_btf_load_attr()
                attr.btf = kernelAddress(data.baseAddress)
                attr.btf_size = UInt32(data.count)
                if let request {
                    attr.btf_log_level = request.level
                    attr.btf_log_size = UInt32(request.buffer.count)
                    attr.btf_log_buf = kernelAddress(request.buffer.baseAddress)
                }
                let result = BPFSyscall.perform(.btfLoad, &attr, fields: BTFHandle.traceFields)
                return LoadAttempt(result: result, logTrueSize: attr.btf_log_true_size)
            }
        }
        switch result {
        case .success(let raw):
            fd = try FileDescriptor.adopting(raw, from: .btfLoad, object: label)
            self.label = label
            self.log = logOptions.always ? log : nil
        case .failure(let errno):
            throw BPFError(command: .btfLoad, errno: errno, object: label, verifierLog: log)
        }
    }

    /// Takes ownership of a descriptor that refers to BTF (e.g. from ``BPFObjectKind/btf``
    /// and an id).
    public init(adopting fd: FileDescriptor, label: String? = nil) {
        self.fd = fd
        self.label = label
        self.log = nil
    }

    /// The kernel's description (`struct bpf_btf_info`).
    public func info() throws(BPFError) -> BTFInfo { try BTFInfo(fd, object: label) }

    /// Closes the descriptor now.
    public func close() { fd.close() }

    /// `BTF "label" (fd 5)`.
    public var description: String { "BTF \"\(label ?? "")\" (\(fd))" }

    private static func traceFields(_ attr: cbpf_btf_load_attr) -> [KernelCall.Field] {
        var fields: [KernelCall.Field] = [.init("btf_size", "\(attr.btf_size)")]
        if attr.btf_log_level != 0 {
            fields.append(.init("btf_log_level", "\(attr.btf_log_level)"))
            fields.append(.init("btf_log_size", "\(attr.btf_log_size)"))
            fields.append(.init("btf_log_true_size", "\(attr.btf_log_true_size)"))
        }
        return fields
    }
}

/// What the kernel reports about loaded BTF: the friendly form of `struct bpf_btf_info`.
public struct BTFInfo: Sendable, Equatable {
    /// `id`: the system-wide BTF id (as in `bpftool btf show`).
    public var id: UInt32
    /// `btf_size`: bytes of the raw BTF.
    public var size: UInt32
    /// `name`: a module's name or `vmlinux` for kernel BTF, empty for program BTF.
    public var name: String
    /// `kernel_btf`: true for vmlinux and module BTF.
    public var isKernel: Bool

    /// Reads the info of the BTF behind `fd` (with its name, in a second buffer).
    public init(_ fd: FileDescriptor, object: String? = nil) throws(BPFError) {
        var nameBuffer = [UInt8](repeating: 0, count: 64)
        var raw = bpf_btf_info()
        let result = nameBuffer.withUnsafeMutableBytes { name in
            raw.name = kernelAddress(name.baseAddress)
            raw.name_len = UInt32(name.count)
            return ObjectInfo.perform(fd, into: &raw)
        }
        try result.orThrow(.objGetInfoByFD, object: object)
        id = raw.id
        size = raw.btf_size
        name = String(decoding: nameBuffer.prefix { $0 != 0 }, as: UTF8.self)
        isKernel = raw.kernel_btf != 0
    }
}
