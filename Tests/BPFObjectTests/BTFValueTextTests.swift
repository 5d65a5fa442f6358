import Testing
@testable import BPFObject

/// The text side of the codec: the JSON-like input parser, integer literals, the text and JSON
/// output, the raw (no BTF) codec and per-CPU buffers.
@Suite struct BTFValueTextTests {
    @Test func inputParser() throws {
        #expect(try ValueInput.parse(#" { "a" : [1, -2, 0x3], b: "x\"y\\\u00e9\n\/", c: {}, d: [] } "#) == .object([
            .init(key: "a", value: .list([.word("1"), .word("-2"), .word("0x3")])),
            .init(key: "b", value: .string("x\"y\\\u{e9}\n/")),
            .init(key: "c", value: .object([])),
            .init(key: "d", value: .list([])),
        ]))
        #expect(try ValueInput.parse(#""\ud83d\ude00 ok""#) == .string("😀 ok"))
        // A text that does not start with { [ or " is one token, inner spaces kept.
        #expect(try ValueInput.parse("  two words \n") == .word("two words"))
        #expect(try ValueInput.parse("") == .word(""))
        #expect(try ValueInput.parse("[XDP_PASS,true,1.5e3]") == .list([.word("XDP_PASS"), .word("true"), .word("1.5e3")]))

        func syntax(_ text: String) -> BTFValueError.Kind? {
            (#expect(throws: BTFValueError.self) { try ValueInput.parse(text) })?.kind
        }
        #expect(syntax("{a: 1,}") == .syntax(message: "expected a value", offset: 6))
        #expect(syntax("[1 2]") == .syntax(message: "expected ',' or ']'", offset: 3))
        #expect(syntax("{a 1}") == .syntax(message: "expected ':'", offset: 3))
        #expect(syntax("[1] x") == .syntax(message: "unexpected text after the value", offset: 4))
        #expect(syntax(#""abc"#) == .syntax(message: "unterminated string", offset: 4))
        #expect(syntax(#""\q""#) == .syntax(message: "unknown escape '\\q'", offset: 2))
        #expect(syntax(#""\u12g4""#) == .syntax(message: "expected four hex digits after \\u", offset: 3))
        #expect(syntax(#""\ud83d""#) == .syntax(message: "unpaired surrogate in \\u escape", offset: 7))
        #expect(syntax("\"a\u{1}\"") == .syntax(message: "control character in a string", offset: 2))
        #expect(syntax("[") == .syntax(message: "expected a value", offset: 1))
        #expect(syntax(String(repeating: "[", count: 100)) == .syntax(message: "nested deeper than 64 levels", offset: 64))
        let message = (#expect(throws: BTFValueError.self) { try ValueInput.parse("[1 2]") })?.description
        #expect(message == "expected ',' or ']' at offset 3 of the text")
    }

    @Test func integerLiterals() {
        #expect(IntegerText.parse("255", bits: 8, signed: false) == .value(255))
        #expect(IntegerText.parse("256", bits: 8, signed: false) == .outOfRange)
        #expect(IntegerText.parse("-0", bits: 8, signed: false) == .value(0))
        #expect(IntegerText.parse("-1", bits: 8, signed: false) == .outOfRange)
        #expect(IntegerText.parse("-128", bits: 8, signed: true) == .value(0x80))
        #expect(IntegerText.parse("-129", bits: 8, signed: true) == .outOfRange)
        #expect(IntegerText.parse("128", bits: 8, signed: true) == .outOfRange)
        #expect(IntegerText.parse("0xff", bits: 8, signed: true) == .value(0xff))  // a bit pattern
        #expect(IntegerText.parse("0x100", bits: 8, signed: true) == .outOfRange)
        #expect(IntegerText.parse("-0x80", bits: 8, signed: true) == .value(0x80))
        #expect(IntegerText.parse("+7", bits: 8, signed: false) == .value(7))
        #expect(IntegerText.parse("0B101", bits: 8, signed: false) == .value(5))
        #expect(IntegerText.parse("0XfF", bits: 8, signed: false) == .value(255))
        #expect(IntegerText.parse("18446744073709551615", bits: 64, signed: false) == .value(.max))
        #expect(IntegerText.parse("18446744073709551616", bits: 64, signed: false) == .outOfRange)
        #expect(IntegerText.parse("-9223372036854775808", bits: 64, signed: true) == .value(1 << 63))
        #expect(IntegerText.parse("9223372036854775808", bits: 64, signed: true) == .outOfRange)
        #expect(IntegerText.parse("0xffffffffffffffff", bits: 64, signed: true) == .value(.max))
        for text in ["", "-", "0x", "1_000", "12a", "--1", "0b2", " 1", "1.0", "٣"] {
            #expect(IntegerText.parse(text, bits: 32, signed: true) == .notANumber, "\(text)")
        }
        #expect(IntegerText.range(bits: 4, signed: false) == "0 to 15")
        #expect(IntegerText.range(bits: 64, signed: true) == "-9223372036854775808 to 9223372036854775807")
    }

    @Test func textAndJSONForms() {
        let value = BTFValue.structure([
            .init(name: "name", value: .string("a\"b\\c\u{1}")),
            .init(name: "", value: .union([.init(name: "x", value: .signed(-5, bits: 8)),
                                            .init(name: "y", value: .unsigned(251, bits: 8))])),
            .init(name: "list", value: .array([])),
            .init(name: "empty", value: .structure([])),
            .init(name: "p", value: .pointer(0xffff_8880_0000_1000)),
            .init(name: "e", value: .enumerator(nil, value: .signed(-7, bits: 32))),
            .init(name: "f", value: .float(bits: UInt64(Float(0.1).bitPattern), size: 4)),
            .init(name: "inf", value: .float(bits: Double.infinity.bitPattern, size: 8)),
            .init(name: "raw", value: .bytes([0xde, 0xad])),
        ])
        #expect(value.text() == #"{name: "a\"b\\c\u0001", x: -5, y: 251, list: [], empty: {}, p: 0xffff888000001000, "#
                + #"e: -7, f: 0.1, inf: inf, raw: "de ad"}"#)
        #expect(value.text(hexIntegers: true) == #"{name: "a\"b\\c\u0001", x: -0x5, y: 0xfb, list: [], empty: {}, "#
                + #"p: 0xffff888000001000, e: -0x7, f: 0.1, inf: inf, raw: "de ad"}"#)
        #expect(value.jsonText == #"{"name":"a\"b\\c\u0001","x":-5,"y":251,"list":[],"empty":{},"p":18446612682070036480,"#
                + #""e":-7,"f":0.1,"inf":"inf","raw":"de ad"}"#)
        #expect(BTFValue.array([.unsigned(1, bits: 8), .structure([.init(name: "a", value: .bool(false))])]).jsonText(pretty: true) == """
        [
          1,
          {
            "a": false
          }
        ]
        """)
        #expect(value.member("y") == .unsigned(251, bits: 8) && value.member("nope") == nil)
        #expect(BTFValue.array([.bool(true)])[0] == .bool(true) && BTFValue.array([])[0] == nil)
        #expect(BTFValue.signed(-1, bits: 32).unsignedValue == UInt64.max && BTFValue.unsigned(.max, bits: 64).signedValue == nil)
        #expect(BTFValue.float(bits: 1.5.bitPattern, size: 8).doubleValue == 1.5 && BTFValue.bool(true).doubleValue == nil)
    }

    @Test func rawValuesWithoutBTF() throws {
        #expect(try BTFValue.encodeRaw(text: "2", size: 4, order: .little) == [2, 0, 0, 0])
        #expect(try BTFValue.encodeRaw(text: "0xC6120002", size: 4, order: .little) == [0x02, 0x00, 0x12, 0xc6])
        #expect(try BTFValue.encodeRaw(text: "0xC6120002", size: 4, order: .big) == [0xc6, 0x12, 0x00, 0x02])
        #expect(try BTFValue.encodeRaw(text: "-1", size: 2) == [0xff, 0xff])
        #expect(try BTFValue.encodeRaw(text: "c6 12 00 02", size: 4) == [0xc6, 0x12, 0x00, 0x02])
        #expect(try BTFValue.encodeRaw(text: "c6120002", size: 4) == [0xc6, 0x12, 0x00, 0x02])
        #expect(try BTFValue.encodeRaw(text: "0x01 0x02 0x03", size: 3) == [1, 2, 3])
        #expect(try BTFValue.encodeRaw(text: "0xff", size: 1) == [0xff])
        #expect(try BTFValue.encodeRaw(text: "aa bb cc dd ee ff 00 11 22 33 44 55 66 77 88 99", size: 16).count == 16)
        func failure(_ text: String, _ size: Int) -> BTFValueError.Kind? {
            (#expect(throws: BTFValueError.self) { try BTFValue.encodeRaw(text: text, size: size) })?.kind
        }
        #expect(failure("300", 1) == .outOfRange(text: "300", type: "a 1-byte value", range: "0 to 255"))
        #expect(failure("-129", 1) == .outOfRange(text: "-129", type: "a 1-byte value", range: "-128 to 127"))
        #expect(failure("5", 3) == .unsupportedSize(3))
        #expect(failure("c6 12", 4) == .sizeMismatch(type: "a 4-byte value", expected: 4, actual: 2))
        #expect(failure("zz", 4) == .expected(what: "an integer or hex bytes", type: "a 4-byte value", got: "zz"))

        // With or without BTF, as the CLI calls it.
        let object = try ValueInputs.object("tiny_lb.bpf.o")
        let key = try #require(object.map(named: "lb_map")).keyTypeID
        #expect(try BTFValue.encodeOrRaw(text: "2", type: key, btf: object.btf, size: 4, order: .little) == [2, 0, 0, 0])
        #expect(try BTFValue.encodeOrRaw(text: "2", type: 0, btf: object.btf, size: 4, order: .little) == [2, 0, 0, 0])
        #expect(try BTFValue.encodeOrRaw(text: "2", type: key, btf: nil, size: 2, order: .little) == [2, 0])
        #expect(throws: BTFValueError(.unsupportedType(type: "__u32", reason: "the type is 4 bytes, the map's size is 8"))) {
            try BTFValue.encodeOrRaw(text: "2", type: key, btf: object.btf, size: 8)
        }
        #expect(try BTFValue.decodeOrRaw(bytes: [2, 0, 0, 0], type: key, btf: object.btf, order: .little) == .unsigned(2, bits: 32))
        #expect(try BTFValue.decodeOrRaw(bytes: [2, 0, 0, 0], type: key, btf: nil).text() == "\"02 00 00 00\"")

        #expect(try BTFValue.parseHexBytes("c6 12 0 2") == [0xc6, 0x12, 0x00, 0x02])
        #expect(try BTFValue.parseHexBytes(" C6120002\n") == [0xc6, 0x12, 0x00, 0x02])
        for bad in ["", "c61", "0x", "g0", "c6-12"] {
            #expect(throws: BTFValueError(.badHex(text: bad))) { try BTFValue.parseHexBytes(bad) }
        }
        #expect(BTFValue.formatHex([0xc6, 0x12, 0x00, 0x02]) == "c6 12 00 02")
        #expect(BTFValue.formatHex([UInt8]()) == "")
        #expect(try BTFValue.parseHexBytes(BTFValue.formatHex(Array(0...255))) == Array(0...255))
    }

    @Test func perCPUBuffers() throws {
        #expect(BTFValue.perCPUStride(valueSize: 12) == 16 && BTFValue.perCPUStride(valueSize: 16) == 16)
        #expect(BTFValue.perCPUStride(valueSize: 1) == 8 && BTFValue.perCPUStride(valueSize: 0) == 0)
        let buffer = (0..<48).map { UInt8($0) }
        let slices = try BTFValue.perCPUSlices(of: buffer[...], valueSize: 12)
        #expect(slices.map(Array.init) == [Array(0..<12), Array(16..<28), Array(32..<44)])
        #expect(try BTFValue.perCPUSlices(of: buffer[...], valueSize: 12, cpuCount: 3).count == 3)
        #expect(throws: BTFValueError(.perCPUSize(bufferSize: 48, stride: 16, cpuCount: 2))) {
            try BTFValue.perCPUSlices(of: buffer[...], valueSize: 12, cpuCount: 2)
        }
        #expect(throws: BTFValueError(.perCPUSize(bufferSize: 40, stride: 16, cpuCount: nil))) {
            try BTFValue.perCPUSlices(of: buffer[..<40], valueSize: 12)
        }

        // cpu_stats-like values: struct flow_stats per CPU, and a __u32 padded to 8 bytes.
        let object = try ValueInputs.object("map_kinds.bpf.o")
        let btf = try #require(object.btf)
        let stats = try #require(object.map(named: "flows")).valueTypeID
        var bytes: [UInt8] = []
        for cpu in 0..<3 { bytes += try BTFValue.encode(text: "{packets: \(cpu), bytes: \(cpu * 100)}", type: stats, btf: btf) }
        let values = try BTFValue.decodePerCPU(bytes: bytes[...], cpuCount: 3, type: stats, btf: btf)
        #expect(values.map { $0.text() } == ["{packets: 0, bytes: 0}", "{packets: 1, bytes: 100}", "{packets: 2, bytes: 200}"])
        let u32 = try #require(object.map(named: "ports")).keyTypeID
        let padded: [UInt8] = [1, 0, 0, 0, 0xee, 0xee, 0xee, 0xee, 2, 0, 0, 0, 0xee, 0xee, 0xee, 0xee]
        #expect(try BTFValue.decodePerCPU(bytes: padded[...], type: u32, btf: btf, order: .little)
                == [.unsigned(1, bits: 32), .unsigned(2, bits: 32)])
        let error = #expect(throws: BTFValueError.self) {
            try BTFValue.decodePerCPU(bytes: padded[...], cpuCount: 4, type: u32, btf: btf)
        }
        #expect(error?.kind == .perCPUSize(bufferSize: 16, stride: 8, cpuCount: 4))
    }
}
