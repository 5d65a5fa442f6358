import Foundation
import Testing
@testable import BPFObject

/// The friendly model, the queries and the C-like descriptions, on the `kinds.c` sample (ids
/// as `bpftool btf dump` shows them; see BTFSamples.swift for the source) and on vmlinux.
@Suite struct BTFModelTests {
    let btf: BTF

    init() throws { btf = try BTF(bytes: BTFSamples.kindsBTF) }

    @Test func headerAndCounts() {
        #expect(btf.header.magic == 0xEB9F)
        #expect(btf.header.version == 1)
        #expect(btf.header.headerLength == 24)
        #expect(btf.header.typeOffset == 0)
        #expect(btf.header.stringOffset == btf.header.typeLength)
        #expect(Int(btf.header.stringLength) == btf.strings.count)
        #expect(btf.typeCount == 64)
        #expect(btf.typeIDs == 1..<65)
        #expect(btf.contains(0) && btf.contains(64) && !btf.contains(65))
    }

    @Test func everyKindDecodes() throws {
        #expect(btf.type(0) == .void)
        #expect(btf.type(65) == nil)
        #expect(btf.type(10) == .int(BTFInt(name: "unsigned int", size: 4, encoding: [], bitOffset: 0, bits: 32)))
        #expect(btf.type(27) == .int(BTFInt(name: "char", size: 1, encoding: .signed, bitOffset: 0, bits: 8)))
        #expect(btf.type(36) == .int(BTFInt(name: "_Bool", size: 1, encoding: .bool, bitOffset: 0, bits: 8)))
        #expect(btf.type(1) == .pointer(3))
        #expect(btf.type(6) == .array(BTFArray(elementType: 2, indexType: 4, count: 16)))
        #expect(btf.type(34) == .structure(BTFComposite(name: "bits", size: 12, members: [
            BTFMember(name: "a", type: 10, bitOffset: 0, bitfieldSize: 3),
            BTFMember(name: "b", type: 10, bitOffset: 3, bitfieldSize: 5),
            BTFMember(name: "c", type: 2, bitOffset: 32),
            BTFMember(name: "flag", type: 36, bitOffset: 64, bitfieldSize: 1),
            BTFMember(name: "arr", type: 37, bitOffset: 72),
        ])))
        #expect(btf.type(50) == .union(BTFComposite(name: "u", size: 8, members: [
            BTFMember(name: "i", type: 2, bitOffset: 0), BTFMember(name: "f", type: 51, bitOffset: 0),
            BTFMember(name: "d", type: 52, bitOffset: 0),
        ])))
        #expect(btf.type(44) == .enumeration(BTFEnum(name: "small_signed", size: 4, isSigned: true, values: [
            BTFEnumValue(name: "NEG", bits: UInt64(bitPattern: -5)), BTFEnumValue(name: "POS", bits: 7),
        ])))
        #expect(btf.enumValues(of: 44).map(\.signedValue) == [-5, 7])
        #expect(btf.type(46) == .enum64(BTFEnum(name: "big64", size: 8, isSigned: false, values: [
            BTFEnumValue(name: "HUGE", bits: 0xffff_ffff_ffff), BTFEnumValue(name: "OTHER", bits: 1),
        ])))
        #expect(btf.enumValues(of: 48).map(\.signedValue) == [-0x1_0000_0000, 3])
        #expect(btf.type(16) == .forward(name: "fwd_only", isUnion: false))
        #expect(btf.type(18) == .forward(name: "fwd_union", isUnion: true))
        #expect(btf.type(9) == .typedef(name: "__u32", type: 10))
        #expect(btf.type(22) == .volatile(2))
        #expect(btf.type(21) == .const(22))
        #expect(btf.type(23) == .restrict(24))
        #expect(btf.type(39) == .function(BTFFunction(name: "helper", prototype: 38, linkage: .static)))
        #expect(btf.type(32) == .function(BTFFunction(name: "prog", prototype: 31, linkage: .global)))
        #expect(btf.type(38) == .functionProto(BTFFunctionProto(returnType: 2, parameters: [
            BTFParameter(name: "x", type: 2), BTFParameter(name: "b", type: 33),
        ])))
        #expect(btf.type(29) == .variable(BTFVariable(name: "hmap", type: 28, linkage: .global)))
        #expect(btf.type(59) == .variable(BTFVariable(name: "ro_value", type: 21, linkage: .static)))
        #expect(btf.type(61) == .dataSection(BTFDataSection(name: ".data", size: 0, variables: [
            BTFRawVarSecInfo(type: 41, offset: 0, size: 4),
        ])))
        #expect(btf.type(51) == .float(name: "float", size: 4))
        #expect(btf.type(35) == .declTag(BTFDeclTag(name: "s_tag", type: 34, componentIndex: -1)))
        #expect(btf.type(40) == .declTag(BTFDeclTag(name: "param_tag", type: 39, componentIndex: 0)))
        #expect(btf.type(19) == .typeTag(name: "user", type: 2))
    }

    @Test func rawTypesMirrorTheKernelStructs() throws {
        let raw = try #require(btf.rawType(8))
        #expect(raw.kind == .structure)
        #expect(raw.vlen == 2 && !raw.kindFlag)
        #expect(raw.sizeOrType == 16)
        #expect(raw.trailing.count == 6)
        #expect(raw.encodedSize == 12 + 2 * 12)
        #expect(btf.strings[raw.nameOffset] == "key")
        #expect(BTFRawType.info(kind: .structure, kindFlag: false, vlen: 2) == raw.info)
        #expect(btf.rawType(34)?.kindFlag == true, "struct with bitfields sets kind_flag")
        #expect(btf.rawType(0) == nil)
        #expect(btf.rawType(65) == nil)
        // Sizes of the kernel structs (linux/btf.h), in words of trailing data.
        #expect(BTFKind.int.trailingWordCount(vlen: 0) == 1)
        #expect(BTFKind.array.trailingWordCount(vlen: 0) == 3)              // struct btf_array
        #expect(BTFKind.structure.trailingWordCount(vlen: 2) == 6)          // struct btf_member
        #expect(BTFKind.enumeration.trailingWordCount(vlen: 2) == 4)        // struct btf_enum
        #expect(BTFKind.enum64.trailingWordCount(vlen: 2) == 6)             // struct btf_enum64
        #expect(BTFKind.functionProto.trailingWordCount(vlen: 2) == 4)      // struct btf_param
        #expect(BTFKind.variable.trailingWordCount(vlen: 0) == 1)           // struct btf_var
        #expect(BTFKind.dataSection.trailingWordCount(vlen: 2) == 6)        // struct btf_var_secinfo
        #expect(BTFKind.declTag.trailingWordCount(vlen: 0) == 1)            // struct btf_decl_tag
        #expect(BTFHeader.size == 24 && BTFRawType.headerSize == 12)
    }

    @Test func sizes() {
        let expected: [BTFTypeID: Int?] = [
            0: nil, 1: 8, 2: 4, 3: 4, 6: 64, 8: 16, 9: 4, 14: 48, 16: nil, 21: 4, 23: 8, 26: nil,
            28: 32, 29: 32, 32: nil, 34: 12, 35: nil, 42: 64, 44: 4, 46: 8, 50: 8, 51: 4, 60: 0, 999: nil,
        ]
        for (id, size) in expected {
            #expect(btf.size(of: id) == size, "size of type \(id)")
        }
    }

    @Test func resolveSkipsTypedefsAndQualifiers() {
        #expect(btf.resolve(9) == 10)   // __u32 -> unsigned int
        #expect(btf.resolve(21) == 2)   // const volatile int -> int
        #expect(btf.resolve(23) == 24)  // restrict -> the pointer
        #expect(btf.resolve(19) == 2)   // type tag -> int
        #expect(btf.resolve(2) == 2)
        #expect(btf.resolve(0) == 0)
        #expect(btf.resolve(999) == nil)
        #expect(btf.name(of: 9) == "__u32")
        #expect(btf.name(of: 1) == nil)
        #expect(btf.name(of: 0) == nil)
    }

    @Test func descriptions() {
        let expected: [BTFTypeID: String] = [
            0: "void", 1: "int (*)[1]", 3: "int[1]", 5: "int (*)[16]", 7: "struct key *", 9: "__u32",
            10: "unsigned int", 12: "unsigned long long", 16: "struct fwd_only", 18: "union fwd_union",
            20: "int *", 21: "const volatile int", 23: "int *restrict", 25: "int (*)(int, char)",
            28: "struct {...}", 30: "void *", 31: "int (void *ctx)", 32: "int prog(void *ctx)",
            37: "char[3]", 39: "int helper(int x, struct bits *b)", 44: "enum small_signed",
            46: "enum big64", 51: "float", 59: "const volatile int ro_value", 60: "SEC(\".bss\")",
            29: "struct {...} hmap", 999: "?",
        ]
        for (id, text) in expected {
            #expect(btf.typeDescription(id) == text, "type \(id)")
        }
        #expect(btf.declaration(of: 5, name: "max_entries") == "int (*max_entries)[16]")
        #expect(btf.declaration(of: 9, name: "key") == "__u32 key")
        #expect(btf.declaration(of: 25, name: "fp") == "int (*fp)(int, char)")
        #expect(btf.declaration(of: 42, name: "buf") == "char buf[64]")
    }

    @Test func lookupsAndDataSections() throws {
        #expect(btf.typeID(named: "bits") == 34)
        #expect(btf.typeID(named: "bits", kind: .union) == nil)
        #expect(btf.typeID(named: "nope") == nil)
        #expect(btf.typeIDs(named: "int") == [2])
        #expect(btf.typeIDs(named: "__u32", kind: .typedef) == [9])
        #expect(btf.dataSectionIDs == [60, 61, 62, 63, 64])
        let maps = try #require(btf.dataSection(named: ".maps"))
        #expect(maps.id == 62)
        #expect(maps.section.variables == [BTFRawVarSecInfo(type: 29, offset: 0, size: 32)])
        let bss = btf.variables(inDataSection: 60)
        #expect(bss.map(\.variable.name) == ["buf", "e1", "e2", "e3", "un", "bt", "ld"])
        #expect(bss.map(\.entry.size) == [64, 4, 8, 8, 8, 12, 8])
        #expect(btf.variable(29)?.name == "hmap")
        #expect(btf.variable(28) == nil)
        #expect(btf.members(of: 28).map { btf.declaration(of: $0.type, name: $0.name) } == [
            "int (*type)[1]", "int (*max_entries)[16]", "struct key *key", "struct holder *value",
        ])
    }

    @Test func vmlinuxQueries() throws {
        let kernel = try BTF(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: BTFInputs.vmlinuxPath))))
        let iphdr = try #require(kernel.typeID(named: "iphdr", kind: .structure))
        #expect(kernel.size(of: iphdr) == 20)
        #expect(kernel.typeDescription(iphdr) == "struct iphdr")
        #expect(kernel.members(of: iphdr).prefix(2).map(\.bitfieldSize) == [4, 4])
        let xdp = try #require(kernel.typeID(named: "xdp_md", kind: .structure))
        #expect(kernel.size(of: xdp) == 24)
        #expect(kernel.members(of: xdp).map(\.name) ==
                ["data", "data_end", "data_meta", "ingress_ifindex", "rx_queue_index", "egress_ifindex"])
        #expect(kernel.members(of: xdp).map { kernel.typeDescription($0.type) }.first == "__u32")
        let u32 = try #require(kernel.typeID(named: "__u32", kind: .typedef))
        #expect(kernel.typeDescription(try #require(kernel.resolve(u32))) == "unsigned int")
        let task = try #require(kernel.typeID(named: "task_struct", kind: .structure))
        let comm = try #require(kernel.members(of: task).first { $0.name == "comm" })
        #expect(kernel.declaration(of: comm.type, name: "comm") == "char comm[16]")
        #expect(kernel.size(of: comm.type) == 16)
        // Every type can be described and sized without trapping.
        for id in kernel.typeIDs where id % 97 == 0 {
            _ = kernel.typeDescription(id)
            _ = kernel.size(of: id)
        }
    }
}
