/// The byte order of an object file (ELF `EI_DATA`: `ELFDATA2LSB` or `ELFDATA2MSB`).
///
/// BPF objects are built little-endian (`-target bpfel`, the x86/arm64 default) or big-endian
/// (`-target bpfeb`). Every multi-byte read in the object layer names the order it uses.
public enum ByteOrder: String, Sendable, Equatable, Codable {
    case little
    case big

    /// The byte order of the machine running this code.
    public static var host: ByteOrder {
        UInt16(1).littleEndian == 1 ? .little : .big
    }
}
