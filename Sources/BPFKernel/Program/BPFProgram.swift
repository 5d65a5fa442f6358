import CBPF

/// A verified BPF program in the kernel, owning its file descriptor (it stays loaded while
/// any fd, link, attachment or pin refers to it).
///
/// Loaded with `BPF_PROG_LOAD` (``init(_:logOptions:)``) or opened from an existing fd, pin
/// or id (``init(adopting:)``). Info is in `BPFProgramInfo.swift`, test runs in
/// `BPFProgram+TestRun.swift`.
public final class BPFProgram: Sendable, CustomStringConvertible {
    /// The owned descriptor.
    public let fd: FileDescriptor
    /// The name the kernel stores (at most 15 bytes).
    public let name: String
    /// `prog_type`.
    public let type: BPFProgramType
    /// The verifier log of a successful load, when ``VerifierLogOptions/always`` asked for it.
    public let verifierLog: String?

    /// Loads a program with `BPF_PROG_LOAD`.
    ///
    /// On failure the load is repeated with a verifier log, per `logOptions`; the thrown
    /// ``BPFError`` carries the first failure's errno and the whole log.
    public init(_ definition: BPFProgramDefinition, logOptions: VerifierLogOptions = .onFailure) throws(BPFError) {
        let name = BPFObjectName(definition.name)
        try BPFProgram.validate(definition, name: name.value)
        let (result, log) = VerifierLogCollector.load(logOptions) { request in
            BPFProgram.withLoadAttr(definition, name: name) { attr in
                if let request {
                    attr.log_level = request.level
                    attr.log_size = UInt32(request.buffer.count)
                    attr.log_buf = kernelAddress(request.buffer.baseAddress)
                }
                let result = BPFSyscall.perform(.progLoad, &attr, fields: BPFProgram.traceFields)
                return LoadAttempt(result: result, logTrueSize: attr.log_true_size)
            }
        }
        switch result {
        case .success(let raw):
            fd = try FileDescriptor.adopting(raw, from: .progLoad, object: name.value)
            self.name = name.value
            self.type = definition.type
            self.verifierLog = logOptions.always ? log : nil
        case .failure(let errno):
            throw BPFError(command: .progLoad, errno: errno, object: name.value, verifierLog: log)
        }
    }

    /// Takes ownership of a descriptor that refers to a program and reads its name and type
    /// with `BPF_OBJ_GET_INFO_BY_FD`.
    public init(adopting fd: FileDescriptor) throws(BPFError) {
        let info = try BPFProgramInfo(fd, details: false)
        self.fd = fd
        self.name = info.name
        self.type = info.type
        self.verifierLog = nil
    }

    /// The kernel's description (`struct bpf_prog_info`); with `details`, also the map ids and
    /// the translated instructions (a second call with buffers sized by the first).
    public func info(details: Bool = true) throws(BPFError) -> BPFProgramInfo {
        try BPFProgramInfo(fd, details: details, object: name)
    }

    /// Closes the descriptor now.
    public func close() { fd.close() }

    /// `program "name" (XDP, fd 6)`.
    public var description: String { "program \"\(name)\" (\(type), \(fd))" }

    // MARK: - Building the attr

    /// Refuses what would make the kernel read past our buffers or what it would reject
    /// without a useful message.
    private static func validate(_ definition: BPFProgramDefinition, name: String) throws(BPFError) {
        func refuse(_ why: String) -> BPFError { BPFError(command: .progLoad, errno: .EINVAL, object: name, hint: why) }
        let size = BPFProgramDefinition.instructionSize
        guard !definition.instructions.isEmpty, definition.instructions.count % size == 0 else {
            throw refuse("\(definition.instructions.count) instruction bytes is not a non-zero multiple of \(size)")
        }
        guard definition.instructions.count / size <= Int(UInt32.max) else { throw refuse("too many instructions") }
        guard !definition.license.utf8.contains(0) else { throw refuse("license contains a NUL byte") }
        for (label, records) in [("func_info", definition.funcInfo), ("line_info", definition.lineInfo)] {
            guard let records else { continue }
            guard records.recordSize > 0, records.bytes.count % Int(records.recordSize) == 0 else {
                throw refuse("\(label): \(records.bytes.count) bytes is not a multiple of the record size \(records.recordSize)")
            }
        }
    }

    /// Fills a `cbpf_prog_load_attr` from `definition`, with every pointer valid while `body`
    /// runs.
    private static func withLoadAttr(_ definition: BPFProgramDefinition, name: BPFObjectName,
                                     _ body: (inout cbpf_prog_load_attr) -> LoadAttempt) -> LoadAttempt {
        var attr = cbpf_prog_load_attr()
        attr.prog_type = definition.type.rawValue
        attr.expected_attach_type = definition.expectedAttachType?.rawValue ?? 0
        attr.insn_cnt = UInt32(definition.instructions.count / BPFProgramDefinition.instructionSize)
        attr.kern_version = definition.kernelVersion
        attr.prog_flags = definition.flags.rawValue
        name.write(into: &attr.prog_name)
        attr.prog_ifindex = definition.ifindex
        attr.prog_btf_fd = UInt32(bitPattern: definition.btf?.fd.rawValue ?? 0)
        attr.attach_btf_id = definition.attachBTFID
        attr.attach_prog_fd = UInt32(bitPattern: definition.attachTarget?.rawValue ?? 0)
        let funcInfo = definition.funcInfo ?? BTFExtRecords(recordSize: 0, bytes: [])
        let lineInfo = definition.lineInfo ?? BTFExtRecords(recordSize: 0, bytes: [])
        attr.func_info_rec_size = funcInfo.recordSize
        attr.func_info_cnt = funcInfo.count
        attr.line_info_rec_size = lineInfo.recordSize
        attr.line_info_cnt = lineInfo.count
        let fdArray = definition.fdArray.map(\.rawValue)

        return definition.instructions.withUnsafeBytes { insns in
            definition.license.withCString { license in
                funcInfo.bytes.withUnsafeBytes { funcs in
                    lineInfo.bytes.withUnsafeBytes { lines in
                        fdArray.withUnsafeBytes { fds in
                            attr.insns = kernelAddress(insns.baseAddress)
                            attr.license = kernelAddress(license)
                            attr.func_info = funcs.isEmpty ? 0 : kernelAddress(funcs.baseAddress)
                            attr.line_info = lines.isEmpty ? 0 : kernelAddress(lines.baseAddress)
                            attr.fd_array = fds.isEmpty ? 0 : kernelAddress(fds.baseAddress)
                            return body(&attr)
                        }
                    }
                }
            }
        }
    }

    /// The trace fields of a `BPF_PROG_LOAD` request.
    private static func traceFields(_ attr: cbpf_prog_load_attr) -> [KernelCall.Field] {
        var fields: [KernelCall.Field] = [
            .init("prog_type", BPFProgramType(rawValue: attr.prog_type).name),
            .init("expected_attach_type", attr.expected_attach_type == 0 ? "0" : BPFAttachType(rawValue: attr.expected_attach_type).name),
            .init("insn_cnt", "\(attr.insn_cnt)"),
            .init("prog_name", BPFObjectName.read(from: attr.prog_name)),
            .init("prog_flags", BPFProgramFlags(rawValue: attr.prog_flags).description),
        ]
        if attr.prog_btf_fd != 0 { fields.append(.init("prog_btf_fd", "\(attr.prog_btf_fd)")) }
        if attr.func_info_cnt != 0 { fields.append(.init("func_info_cnt", "\(attr.func_info_cnt)")) }
        if attr.line_info_cnt != 0 { fields.append(.init("line_info_cnt", "\(attr.line_info_cnt)")) }
        if attr.attach_btf_id != 0 { fields.append(.init("attach_btf_id", "\(attr.attach_btf_id)")) }
        if attr.prog_ifindex != 0 { fields.append(.init("prog_ifindex", "\(attr.prog_ifindex)")) }
        if attr.log_level != 0 {
            fields.append(.init("log_level", "\(attr.log_level)"))
            fields.append(.init("log_size", "\(attr.log_size)"))
            fields.append(.init("log_true_size", "\(attr.log_true_size)"))
        }
        return fields
    }
}
