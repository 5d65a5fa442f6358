/// The records of one ELF code section inside a `.BTF.ext` subsection. Mirrors
/// `struct btf_ext_info_sec` (`sec_name_off`, `num_info`, then the records).
public struct BTFExtSection<Record: Sendable & Equatable>: Sendable, Equatable {
    /// The code section the records describe, e.g. `"xdp"` or `".text"`.
    public var sectionName: String
    /// `sec_name_off`: offset of `sectionName` in the `.BTF` string section.
    public var sectionNameOffset: UInt32
    /// The records, in file order.
    public var records: [Record]
    /// Creates a group.
    public init(sectionName: String, sectionNameOffset: UInt32, records: [Record]) {
        self.sectionName = sectionName; self.sectionNameOffset = sectionNameOffset; self.records = records
    }
}

/// A `func_info` record as stored in `.BTF.ext`. Mirrors `struct bpf_func_info`, but note the
/// unit: in the object file `insn_off` is a BYTE offset from the start of the ELF section.
/// (`BPF_PROG_LOAD` wants an instruction index; see ``BPFFuncInfo``.)
public struct BTFExtFuncInfo: Sendable, Equatable {
    /// `sizeof(struct bpf_func_info)`: the smallest record size accepted.
    public static let size = 8
    /// `insn_off`, in BYTES from the start of the section.
    public var instructionByteOffset: UInt32
    /// `type_id`: the `FUNC` type of the function starting there.
    public var typeID: BTFTypeID
    /// Creates a record.
    public init(instructionByteOffset: UInt32, typeID: BTFTypeID) {
        self.instructionByteOffset = instructionByteOffset; self.typeID = typeID
    }
    /// The instruction index in the section (`insn_off / 8`).
    public var instructionIndex: Int { Int(instructionByteOffset) / 8 }
}

/// A `line_info` record as stored in `.BTF.ext`. Mirrors `struct bpf_line_info`, with
/// `insn_off` a BYTE offset from the start of the ELF section.
///
/// The strings stay offsets into the `.BTF` string section, so a record is four plain words
/// (copying one costs no reference counting); ``BTFExt/fileName(of:)`` and
/// ``BTFExt/sourceLine(of:)`` resolve them.
public struct BTFExtLineInfo: Sendable, Equatable {
    /// `sizeof(struct bpf_line_info)`: the smallest record size accepted.
    public static let size = 16
    /// `insn_off`, in BYTES from the start of the section.
    public var instructionByteOffset: UInt32
    /// `file_name_off`: offset of the source file name in the `.BTF` string section.
    public var fileNameOffset: UInt32
    /// `line_off`: offset of the source line's text in the `.BTF` string section.
    public var lineOffset: UInt32
    /// `line_col`: `line << 10 | column` (`BPF_LINE_INFO_LINE_NUM`, `BPF_LINE_INFO_LINE_COL`).
    public var lineColumn: UInt32
    /// Creates a record.
    public init(instructionByteOffset: UInt32, fileNameOffset: UInt32, lineOffset: UInt32, lineColumn: UInt32) {
        self.instructionByteOffset = instructionByteOffset; self.fileNameOffset = fileNameOffset
        self.lineOffset = lineOffset; self.lineColumn = lineColumn
    }
    /// The instruction index in the section (`insn_off / 8`).
    public var instructionIndex: Int { Int(instructionByteOffset) / 8 }
    /// The 1-based source line number (`line_col >> 10`).
    public var line: UInt32 { lineColumn >> 10 }
    /// The source column (`line_col & 0x3ff`).
    public var column: UInt32 { lineColumn & 0x3ff }
}

/// What a CO-RE relocation asks for. Mirrors `enum bpf_core_relo_kind` in `linux/bpf.h`.
public enum BTFCoreRelocationKind: UInt32, Sendable, Equatable, CaseIterable {
    /// `BPF_CORE_FIELD_BYTE_OFFSET`: a field's byte offset.
    case fieldByteOffset = 0
    /// `BPF_CORE_FIELD_BYTE_SIZE`: a field's size in bytes.
    case fieldByteSize = 1
    /// `BPF_CORE_FIELD_EXISTS`: whether a field exists in the target kernel.
    case fieldExists = 2
    /// `BPF_CORE_FIELD_SIGNED`: whether a field is signed.
    case fieldSigned = 3
    /// `BPF_CORE_FIELD_LSHIFT_U64`: the left shift to extract a bitfield.
    case fieldLeftShift = 4
    /// `BPF_CORE_FIELD_RSHIFT_U64`: the right shift to extract a bitfield.
    case fieldRightShift = 5
    /// `BPF_CORE_TYPE_ID_LOCAL`: the type's id in the program's BTF.
    case typeIDLocal = 6
    /// `BPF_CORE_TYPE_ID_TARGET`: the type's id in the target kernel's BTF.
    case typeIDTarget = 7
    /// `BPF_CORE_TYPE_EXISTS`: whether the type exists in the target.
    case typeExists = 8
    /// `BPF_CORE_TYPE_SIZE`: the type's size in the target.
    case typeSize = 9
    /// `BPF_CORE_ENUMVAL_EXISTS`: whether an enumerator exists in the target.
    case enumValueExists = 10
    /// `BPF_CORE_ENUMVAL_VALUE`: an enumerator's value in the target.
    case enumValue = 11
    /// `BPF_CORE_TYPE_MATCHES`: whether the type matches the target's.
    case typeMatches = 12
}

/// A CO-RE relocation record from `.BTF.ext`. Mirrors `struct bpf_core_relo`, with
/// `insn_off` a BYTE offset from the start of the ELF section.
public struct BTFCoreRelocation: Sendable, Equatable {
    /// `sizeof(struct bpf_core_relo)`: the smallest record size accepted.
    public static let size = 16
    /// `insn_off`, in BYTES from the start of the section.
    public var instructionByteOffset: UInt32
    /// `type_id`: the root type in the program's BTF.
    public var typeID: BTFTypeID
    /// `access_str_off`: offset of the access string in the `.BTF` string section.
    public var accessStringOffset: UInt32
    /// The access string, e.g. `"0:1:0"` (field path) or `"0"` (type/enumerator index).
    public var accessString: String
    /// `kind` as stored (see ``kind``).
    public var rawKind: UInt32
    /// Creates a record.
    public init(instructionByteOffset: UInt32, typeID: BTFTypeID, accessStringOffset: UInt32,
                accessString: String, rawKind: UInt32) {
        self.instructionByteOffset = instructionByteOffset; self.typeID = typeID
        self.accessStringOffset = accessStringOffset; self.accessString = accessString; self.rawKind = rawKind
    }
    /// The decoded kind, `nil` for a value newer than this library.
    public var kind: BTFCoreRelocationKind? { BTFCoreRelocationKind(rawValue: rawKind) }
    /// The instruction index in the section (`insn_off / 8`).
    public var instructionIndex: Int { Int(instructionByteOffset) / 8 }
    /// The access string split at `:` into indices; `nil` if an element is not a number.
    public var accessPath: [Int]? {
        var path: [Int] = []
        for part in accessString.split(separator: ":", omittingEmptySubsequences: false) {
            guard let value = Int(part) else { return nil }
            path.append(value)
        }
        return path
    }
}
