/// A func_info record as `BPF_PROG_LOAD` takes it. Mirrors `struct bpf_func_info` in
/// `linux/bpf.h`, where — unlike in `.BTF.ext` — `insn_off` is an INSTRUCTION index into the
/// program being loaded (libbpf divides the file's byte offset by 8 and rebases it).
public struct BPFFuncInfo: Sendable, Equatable {
    /// `sizeof(struct bpf_func_info)`: the `func_info_rec_size` to pass.
    public static let size = 8
    /// `insn_off`: index of the function's first instruction in the loaded program.
    public var instructionIndex: UInt32
    /// `type_id`: the `FUNC` type.
    public var typeID: BTFTypeID
    /// Creates a record.
    public init(instructionIndex: UInt32, typeID: BTFTypeID) {
        self.instructionIndex = instructionIndex; self.typeID = typeID
    }

    /// The records as the kernel reads them: 8 bytes each, in `order` (the kernel's own order
    /// is the host's).
    public static func encode(_ records: [BPFFuncInfo], order: ByteOrder = .host) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: records.count * size)
        for (index, record) in records.enumerated() {
            order.store(record.instructionIndex, into: &bytes, at: index * size)
            order.store(record.typeID, into: &bytes, at: index * size + 4)
        }
        return bytes
    }
}

/// A line_info record as `BPF_PROG_LOAD` takes it. Mirrors `struct bpf_line_info` in
/// `linux/bpf.h`, with `insn_off` an INSTRUCTION index into the program being loaded.
public struct BPFLineInfo: Sendable, Equatable {
    /// `sizeof(struct bpf_line_info)`: the `line_info_rec_size` to pass.
    public static let size = 16
    /// `insn_off`: index of the first instruction of the line in the loaded program.
    public var instructionIndex: UInt32
    /// `file_name_off` in the loaded BTF's string section.
    public var fileNameOffset: UInt32
    /// `line_off` in the loaded BTF's string section.
    public var lineOffset: UInt32
    /// `line_col`: `line << 10 | column`.
    public var lineColumn: UInt32
    /// Creates a record.
    public init(instructionIndex: UInt32, fileNameOffset: UInt32, lineOffset: UInt32, lineColumn: UInt32) {
        self.instructionIndex = instructionIndex; self.fileNameOffset = fileNameOffset
        self.lineOffset = lineOffset; self.lineColumn = lineColumn
    }

    /// The records as the kernel reads them: 16 bytes each, in `order` (default: host).
    public static func encode(_ records: [BPFLineInfo], order: ByteOrder = .host) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: records.count * size)
        for (index, record) in records.enumerated() {
            let at = index * size
            order.store(record.instructionIndex, into: &bytes, at: at)
            order.store(record.fileNameOffset, into: &bytes, at: at + 4)
            order.store(record.lineOffset, into: &bytes, at: at + 8)
            order.store(record.lineColumn, into: &bytes, at: at + 12)
        }
        return bytes
    }
}

extension BTFExt {
    /// The func_info records of code section `section` whose instruction falls in
    /// `instructions` (instruction indices in the section), converted to the kernel form and
    /// moved so that `instructions.lowerBound` lands at instruction `placedAt` of the loaded
    /// program. The linker calls this once for the entry function (placed at 0) and once per
    /// appended subprogram.
    public func kernelFuncInfo(section: String, instructions: Range<Int>, placedAt: Int) -> [BPFFuncInfo] {
        funcInfo(forSection: section).compactMap { record in
            guard instructions.contains(record.instructionIndex) else { return nil }
            return BPFFuncInfo(instructionIndex: UInt32(clamping: record.instructionIndex - instructions.lowerBound + placedAt),
                               typeID: record.typeID)
        }
    }

    /// The line_info records of code section `section` in `instructions`, converted and moved
    /// like ``kernelFuncInfo(section:instructions:placedAt:)``.
    public func kernelLineInfo(section: String, instructions: Range<Int>, placedAt: Int) -> [BPFLineInfo] {
        lineInfo(forSection: section).compactMap { record in
            guard instructions.contains(record.instructionIndex) else { return nil }
            return BPFLineInfo(instructionIndex: UInt32(clamping: record.instructionIndex - instructions.lowerBound + placedAt),
                               fileNameOffset: record.fileNameOffset, lineOffset: record.lineOffset,
                               lineColumn: record.lineColumn)
        }
    }
}
