/// One entry of the symbol table, with its name resolved. Mirrors `Elf64_Sym`.
public struct ELFSymbol: Sendable, Equatable {
    /// `STB_*` binding (high nibble of `st_info`).
    public enum Binding: UInt8, Sendable {
        /// `STB_LOCAL`: visible in this object only (`static`).
        case local = 0
        /// `STB_GLOBAL`.
        case global = 1
        /// `STB_WEAK`.
        case weak = 2
        /// Any other value (kept so that odd objects still parse).
        case other = 255
    }

    /// `STT_*` type (low nibble of `st_info`).
    public enum Kind: UInt8, Sendable {
        /// `STT_NOTYPE`: no type (externs, labels).
        case noType = 0
        /// `STT_OBJECT`: a variable (maps, globals).
        case object = 1
        /// `STT_FUNC`: a function (programs, subprograms).
        case function = 2
        /// `STT_SECTION`: stands for a whole section (relocations against string literals).
        case section = 3
        /// `STT_FILE`: the source file name.
        case file = 4
        /// Any other value.
        case other = 255
    }

    /// Index in the symbol table (0 is the null symbol).
    public var index: Int
    /// Name from the string table; for section symbols, usually empty.
    public var name: String
    /// Binding.
    public var binding: Binding
    /// Type.
    public var kind: Kind
    /// `st_other & 3`: `STV_DEFAULT` 0, `STV_INTERNAL` 1, `STV_HIDDEN` 2, `STV_PROTECTED` 3.
    public var visibility: UInt8
    /// `st_shndx`: the section the symbol is defined in (0 = undefined, ≥ 0xff00 special).
    public var sectionIndex: Int
    /// `st_value`: the offset of the symbol inside its section, in bytes.
    public var value: UInt64
    /// `st_size`: the size in bytes.
    public var size: UInt64

    /// True for symbols not defined in this object (`SHN_UNDEF`): externs.
    public var isUndefined: Bool { sectionIndex == Int(ELF.sectionUndefined) }
}

extension ELFSymbol.Binding {
    init(bits: UInt8) { self = Self(rawValue: bits) ?? .other }
}

extension ELFSymbol.Kind {
    init(bits: UInt8) { self = Self(rawValue: bits) ?? .other }
}
