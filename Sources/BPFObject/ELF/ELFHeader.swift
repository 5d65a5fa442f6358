/// The fields of `Elf64_Ehdr` that a BPF loader needs, validated.
struct ELFHeader {
    var order: ByteOrder
    var machine: UInt16
    var flags: UInt32
    var sectionHeaderOffset: Int
    var sectionCount: Int
    var sectionNameIndex: Int

    init(bytes: [UInt8]) throws(ParseError) {
        let context = "ELF header"
        let probe = ByteReader(bytes, order: .little, context: context)
        try probe.check(0, 16)
        guard bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw ParseError(.badMagic, context: context, offset: 0)
        }
        guard bytes[4] == ELF.class64 else {
            throw ParseError(.unsupported("ELF class \(bytes[4]) (only ELFCLASS64 BPF objects exist)"),
                             context: context, offset: 4)
        }
        switch bytes[5] {
        case ELF.dataLSB: order = .little
        case ELF.dataMSB: order = .big
        default: throw ParseError(.invalid("byte order \(bytes[5]) is neither LSB (1) nor MSB (2)"),
                                  context: context, offset: 5)
        }
        let reader = ByteReader(bytes, order: order, context: context)
        try reader.check(0, ELF.headerSize)
        let type = try reader.u16(at: 16)
        guard type == ELF.typeRelocatable else {
            throw ParseError(.unsupported("ELF type \(type): BPF objects are relocatable (ET_REL = 1)"),
                             context: context, offset: 16)
        }
        machine = try reader.u16(at: 18)
        guard machine == ELF.machineBPF || machine == ELF.machineNone else {
            throw ParseError(.unsupported("machine \(machine) is not BPF (EM_BPF = 247)"), context: context, offset: 18)
        }
        flags = try reader.u32(at: 48)
        let shoff = try reader.u64(at: 40)
        let shentsize = try reader.u16(at: 58)
        sectionCount = Int(try reader.u16(at: 60))
        sectionNameIndex = Int(try reader.u16(at: 62))
        guard shoff <= UInt64(bytes.count) else {
            throw ParseError(.invalid("e_shoff \(shoff) points past the end of the \(bytes.count)-byte file"),
                             context: context, offset: 40)
        }
        sectionHeaderOffset = Int(shoff)
        if shoff != 0, shentsize != ELF.sectionHeaderSize {
            throw ParseError(.invalid("e_shentsize \(shentsize) is not \(ELF.sectionHeaderSize)"),
                             context: context, offset: 58)
        }
    }
}
