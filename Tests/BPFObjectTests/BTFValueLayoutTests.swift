import Foundation
import Testing
@testable import BPFObject

/// The codec against the compiler: global variables whose initial values clang laid out in
/// `.data` (little- and big-endian) must decode to the values in the C source, and encoding
/// those values must give the compiler's bytes. Global-data maps hold a DATASEC, decoded here
/// through the BTF the loader prepares (``KernelBTF/prepare(_:)`` fixes the offsets).
@Suite struct BTFValueLayoutTests {
    static var hasClang: Bool { FileManager.default.isExecutableFile(atPath: ValueInputs.clang) }

    /// The `.data` bytes of an object and its DATASEC id in the prepared BTF.
    func globalData(_ object: BPFObjectFile, section: String) throws -> (btf: BTF, id: BTFTypeID, bytes: [UInt8]) {
        let btf = try #require(try KernelBTF.prepare(object))
        let id = try #require(btf.dataSection(named: section)?.id)
        let elfSection = try #require(object.elf.section(named: section))
        let bytes = object.map(named: section)?.initialData ?? Array(object.elf.data(of: elfSection))
        return (btf, id, bytes)
    }

    @Test(.enabled(if: hasClang), arguments: ["bpfel", "bpfeb"])
    func compiledGlobalsDecodeToTheirInitialValues(target: String) throws {
        let object = try #require(try ValueInputs.compiledValues(target: target))
        #expect(object.order == (target == "bpfel" ? .little : .big))
        let (btf, id, data) = try globalData(object, section: ".data")
        #expect(data.count == 80)
        let value = try BTFValue.decode(bytes: data, type: id, btf: btf, order: object.order)

        let bits = try #require(value.member("g_bits"))
        #expect(bits.members?.map(\.name) == ["a", "b", "c", "d", "e", "f", "tail"])  // `unsigned int : 2` left out
        #expect(bits.member("a") == .unsigned(5, bits: 3))
        #expect(bits.member("b") == .unsigned(17, bits: 5))
        #expect(bits.member("c") == .signed(-5, bits: 7))
        #expect(bits.member("d") == .unsigned(0x1_ABCD_EF01, bits: 33))
        #expect(bits.member("e") == .enumerator("BLUE", value: .unsigned(200, bits: 8)))
        #expect(bits.member("f") == .bool(true))
        #expect(bits.member("tail") == .unsigned(0x7f, bits: 8))

        let mixed = try #require(value.member("g_mixed"))
        #expect(mixed.member("name") == .string("swift"))
        #expect(mixed.member("s") == .signed(-2, bits: 16))
        #expect(mixed.member("i") == .signed(0x0102_0304, bits: 32))
        let raw: [UInt64] = object.order == .little ? [4, 3, 2, 1] : [1, 2, 3, 4]
        #expect(mixed.member("raw") == .array(raw.map { .unsigned($0, bits: 8) }))
        #expect(mixed.member("point") == .structure([.init(name: "x", value: .unsigned(3, bits: 16)),
                                                     .init(name: "y", value: .unsigned(4, bits: 16))]))
        #expect(mixed.member("n") == .enumerator("MINUS", value: .signed(-3, bits: 32)))
        #expect(mixed.member("big") == .signed(-1_234_567_890_123, bits: 64))
        #expect(mixed.member("fl")?.doubleValue == 1.5 && mixed.member("db")?.doubleValue == -2.25)
        #expect(mixed.member("p") == .pointer(0) && mixed.member("flag") == .bool(true))
        #expect(mixed.text() == "{name: \"swift\", s: -2, i: 16909060, raw: [\(raw.map(String.init).joined(separator: ", "))], "
                + "point: {x: 3, y: 4}, n: MINUS, big: -1234567890123, fl: 1.5, db: -2.25, p: 0x0, flag: true}")

        // Encoding the decoded value, or the same values typed by hand, gives clang's bytes.
        #expect(try BTFValue.encode(value: value, type: id, btf: btf, order: object.order) == data)
        let typed = """
            {g_bits: {a: 5, b: 17, c: -5, d: 0x1ABCDEF01, e: BLUE, f: true, tail: 0x7f},
             g_mixed: {name: "swift", s: -2, i: 0x01020304, point: {x: 3, y: 4}, n: MINUS,
                       big: -1234567890123, fl: 1.5, db: -2.25, flag: true}}
            """
        #expect(try BTFValue.encode(text: typed, type: id, btf: btf, order: object.order) == data)
        let bitsType = try ValueInputs.type("bits", .structure, in: btf)
        #expect(try BTFValue.encode(text: bits.jsonText, type: bitsType, btf: btf, order: object.order) == Array(data[0..<16]))
    }

    @Test(.enabled(if: hasClang), arguments: ["bpfel", "bpfeb"])
    func bitfieldsKeepTheirNeighbours(target: String) throws {
        let object = try #require(try ValueInputs.compiledValues(target: target))
        let (btf, _, data) = try globalData(object, section: ".data")
        let bitsType = try ValueInputs.type("bits", .structure, in: btf)
        let original = Array(data[0..<16])
        // Every field alone, at its extreme values, reads back without touching the others.
        let extremes: [(String, String, BTFValue)] = [
            ("a", "7", .unsigned(7, bits: 3)), ("b", "0", .unsigned(0, bits: 5)), ("c", "-64", .signed(-64, bits: 7)),
            ("c", "63", .signed(63, bits: 7)), ("d", "0x1ffffffff", .unsigned(0x1_FFFF_FFFF, bits: 33)),
            ("e", "RED", .enumerator("RED", value: .unsigned(1, bits: 8))), ("f", "false", .bool(false)),
        ]
        for (member, text, expected) in extremes {
            var value = try BTFValue.decode(bytes: original, type: bitsType, btf: btf, order: object.order)
            guard case var .structure(members) = value, let index = members.firstIndex(where: { $0.name == member }) else {
                Issue.record("no member \(member)"); continue
            }
            members[index].value = try BTFValue.decode(
                bytes: try BTFValue.encode(text: "{\(member): \(text)}", type: bitsType, btf: btf, order: object.order),
                type: bitsType, btf: btf, order: object.order).member(member)!
            value = .structure(members)
            let bytes = try BTFValue.encode(value: value, type: bitsType, btf: btf, order: object.order)
            let decoded = try BTFValue.decode(bytes: bytes, type: bitsType, btf: btf, order: object.order)
            #expect(decoded.member(member) == expected, "\(member)")
            for other in members where other.name != member {
                #expect(decoded.member(other.name) == other.value, "\(member) changed \(other.name)")
            }
        }
        let wide = #expect(throws: BTFValueError.self) {
            try BTFValue.encode(text: "{c: 64}", type: bitsType, btf: btf, order: object.order)
        }
        #expect(wide?.description == "c: 64 does not fit in int:7 (-64 to 63)")
        let enumWide = #expect(throws: BTFValueError.self) {
            try BTFValue.encode(text: "{e: 256}", type: bitsType, btf: btf, order: object.order)
        }
        #expect(enumWide?.description == "e: 256 does not fit in enum color:8 (0 to 255)")
    }

    /// The global_data fixture (both byte orders): each data section decodes to the values the
    /// C source gives its variables, and a changed `.rodata` config encodes as expected.
    @Test(arguments: ["global_data.bpf.o", "global_data.bpfeb.o"])
    func globalDataSections(name: String) throws {
        let object = try ValueInputs.object(name)
        func section(_ section: String) throws -> (value: BTFValue, btf: BTF, id: BTFTypeID, bytes: [UInt8]) {
            let (btf, id, bytes) = try globalData(object, section: section)
            return (try BTFValue.decode(bytes: bytes, type: id, btf: btf, order: object.order), btf, id, bytes)
        }
        #expect(try section(".data").value.text() == "{packets_seen: 1, last_len: 7}")
        #expect(try section(".bss").value.text() == "{bytes_seen: 0, drops: 0}")
        #expect(try section(".data.counters").value.text() == "{tcp_count: 100, udp_count: 200}")
        #expect(try section(".rodata.cfg").value.jsonText == #"{"cfg_ratio":3}"#)
        #expect(try section("license").value.text() == #"{_license: "GPL"}"#)
        // `static const char hex_digits[16] = "0123456789abcdef"` has no NUL: numbers, not text.
        let digits = try section(".rodata.cst16").value.member("hex_digits")
        #expect(digits == .array(Array("0123456789abcdef".utf8).map { .signed(Int64($0), bits: 8) }))

        let rodata = try section(".rodata")
        #expect(rodata.value.text() == "{cfg_drop_port: 9, cfg_verbose: 1, cfg_salt: 24301}")
        // The "config" pattern: set cfg_drop_port before load, keep the others.
        var expected = rodata.bytes
        let port: [UInt8] = object.order == .little ? [53, 0] : [0, 53]
        expected.replaceSubrange(0..<2, with: port)
        let edited = try BTFValue.encode(text: "{cfg_drop_port: 53, cfg_verbose: 1, cfg_salt: 0x5eed}",
                                         type: rodata.id, btf: rodata.btf, order: object.order)
        #expect(edited == expected)
        let unknown = #expect(throws: BTFValueError.self) {
            try BTFValue.encode(text: "{cfg_port: 53}", type: rodata.id, btf: rodata.btf, order: object.order)
        }
        #expect(unknown?.description == "SEC(\".rodata\") has no member 'cfg_port'")
    }
}
