import Foundation
import Testing
@testable import BPFObject

/// The value codec on the maps of the committed fixtures, as the CLI uses it:
/// `swift-xdp map update lb_map 2 0xC6120002`, `swift-xdp map dump flows --json`.
@Suite struct BTFValueFixtureTests {
    /// `lb_map` (tiny_lb.bpf.c): `__u32` → `__u32`.
    @Test func lbMapKeyAndValueFromTheCommandLine() throws {
        let object = try ValueInputs.object("tiny_lb.bpf.o")
        let btf = try #require(object.btf)
        let map = try #require(object.map(named: "lb_map"))
        #expect(btf.typeDescription(map.keyTypeID) == "__u32")
        let key = try BTFValue.encode(text: "2", type: map.keyTypeID, btf: btf, order: .little)
        let value = try BTFValue.encode(text: "0xC6120002", type: map.valueTypeID, btf: btf, order: .little)
        #expect(key == [0x02, 0x00, 0x00, 0x00])
        #expect(value == [0x02, 0x00, 0x12, 0xc6])
        #expect(try BTFValue.encode(text: "0xC6120002", type: map.valueTypeID, btf: btf, order: .big) == [0xc6, 0x12, 0x00, 0x02])
        // The host order is the default (what the kernel takes); this machine is little-endian.
        if ByteOrder.host == .little {
            #expect(try BTFValue.encode(text: "2", type: map.keyTypeID, btf: btf) == key)
        }
        let decoded = try BTFValue.decode(bytes: value, type: map.valueTypeID, btf: btf, order: .little)
        #expect(decoded == .unsigned(0xC612_0002, bits: 32))
        #expect(decoded.text() == "3323068418" && decoded.text(hexIntegers: true) == "0xc6120002")
        #expect(decoded.jsonText == "3323068418")
        #expect(try BTFValue.encode(text: " 3323068418\n", type: map.valueTypeID, btf: btf, order: .little) == value)
    }

    @Test func integerErrorsNameTheType() throws {
        let object = try ValueInputs.object("tiny_lb.bpf.o")
        let btf = try #require(object.btf)
        let id = try #require(object.map(named: "lb_map")).keyTypeID
        #expect(throws: BTFValueError(.expected(what: "an integer", type: "__u32", got: "abc"))) {
            try BTFValue.encode(text: "abc", type: id, btf: btf)
        }
        let tooBig = #expect(throws: BTFValueError.self) { try BTFValue.encode(text: "4294967296", type: id, btf: btf) }
        #expect(tooBig?.description == "4294967296 does not fit in __u32 (0 to 4294967295)")
        #expect(throws: BTFValueError.self) { try BTFValue.encode(text: "-1", type: id, btf: btf) }
        #expect(throws: BTFValueError.self) { try BTFValue.encode(text: "99999999999999999999999", type: id, btf: btf) }
        #expect(throws: BTFValueError.self) { try BTFValue.encode(text: "[1]", type: id, btf: btf) }
        let short = #expect(throws: BTFValueError.self) { try BTFValue.decode(bytes: [1, 2], type: id, btf: btf) }
        #expect(short?.kind == .sizeMismatch(type: "__u32", expected: 4, actual: 2))
        #expect(try BTFValue.encode(text: "0b101", type: id, btf: btf, order: .little) == [5, 0, 0, 0])
        #expect(try BTFValue.encode(text: "4294967295", type: id, btf: btf, order: .little) == [0xff, 0xff, 0xff, 0xff])
    }

    /// `flows` (map_kinds.bpf.c): `struct flow_key` → `struct flow_stats`.
    @Test func flowKeyFromJSON() throws {
        let object = try ValueInputs.object("map_kinds.bpf.o")
        let btf = try #require(object.btf)
        let map = try #require(object.map(named: "flows"))
        #expect(btf.typeDescription(map.keyTypeID) == "struct flow_key")
        let key = try BTFValue.encode(text: #"{"saddr": 3323068418, "dport": 80}"#, type: map.keyTypeID, btf: btf, order: .little)
        #expect(key == ValueInputs.hex("02 00 12 c6 00 00 00 00 00 00 50 00 00 00 00 00"))
        let big = try BTFValue.encode(text: #"{"saddr": 3323068418, "dport": 80}"#, type: map.keyTypeID, btf: btf, order: .big)
        #expect(big == ValueInputs.hex("c6 12 00 02 00 00 00 00 00 00 00 50 00 00 00 00"))

        let decoded = try BTFValue.decode(bytes: key, type: map.keyTypeID, btf: btf, order: .little)
        #expect(decoded.member("saddr") == .unsigned(3_323_068_418, bits: 32))
        #expect(decoded.member("dport") == .unsigned(80, bits: 16))
        #expect(decoded.member("pad") == .array([.unsigned(0, bits: 8), .unsigned(0, bits: 8), .unsigned(0, bits: 8)]))
        #expect(decoded.text() == "{saddr: 3323068418, daddr: 0, sport: 0, dport: 80, protocol: 0, pad: [0, 0, 0]}")
        #expect(decoded.jsonText == #"{"saddr":3323068418,"daddr":0,"sport":0,"dport":80,"protocol":0,"pad":[0,0,0]}"#)
        // Both printed forms read back to the same bytes.
        #expect(try BTFValue.encode(text: decoded.text(), type: map.keyTypeID, btf: btf, order: .little) == key)
        #expect(try BTFValue.encode(text: decoded.jsonText, type: map.keyTypeID, btf: btf, order: .little) == key)
        #expect(try BTFValue.encode(text: decoded.text(hexIntegers: true), type: map.keyTypeID, btf: btf, order: .little) == key)

        let stats = try BTFValue.encode(text: "{packets: 3, bytes: 0x10000000000}", type: map.valueTypeID, btf: btf, order: .little)
        #expect(stats == ValueInputs.hex("03 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00"))
        #expect(try BTFValue.decode(bytes: stats, type: map.valueTypeID, btf: btf, order: .little).text()
                == "{packets: 3, bytes: 1099511627776}")
    }

    @Test func structErrorsNameTheMember() throws {
        let object = try ValueInputs.object("map_kinds.bpf.o")
        let btf = try #require(object.btf)
        let id = try #require(object.map(named: "flows")).keyTypeID
        func failure(_ text: String) -> BTFValueError? {
            #expect(throws: BTFValueError.self) { try BTFValue.encode(text: text, type: id, btf: btf) }
        }
        #expect(failure(#"{"sport": 1, "foo": 2}"#)?.kind == .unknownMember(name: "foo", type: "struct flow_key"))
        #expect(failure(#"{"sport": 1, "foo": 2}"#)?.description == "struct flow_key has no member 'foo'")
        #expect(failure(#"{"protocol": 300}"#)?.description == "protocol: 300 does not fit in __u8 (0 to 255)")
        #expect(failure(#"{"pad": [1, 2, 3, 4]}"#)?.description == "pad: 4 elements do not fit in __u8[3] (at most 3)")
        #expect(failure(#"{"pad": [1, 256]}"#)?.description == "pad[1]: 256 does not fit in __u8 (0 to 255)")
        #expect(failure(#"{"dport": 1, "dport": 2}"#)?.kind == .duplicateMember(name: "dport", type: "struct flow_key"))
        #expect(failure("80")?.kind == .expected(what: "a JSON object like {\"member\": value}", type: "struct flow_key", got: "80"))
        #expect(failure(#"{"dport": {"x": 1}}"#)?.description == "dport: expected an integer for __u16, got '{…}'")
        #expect(failure(#"{"dport": 1"#)?.kind == .syntax(message: "expected ',' or '}'", offset: 11))
        // Members left out are zero, an empty object is the zero key.
        #expect(try BTFValue.encode(text: "{}", type: id, btf: btf) == [UInt8](repeating: 0, count: 16))
    }

    /// `ports` (map_kinds.bpf.c): `__u32` → `struct bpf_devmap_val`, whose `bpf_prog` is a union.
    @Test func devmapValueWithAUnion() throws {
        let object = try ValueInputs.object("map_kinds.bpf.o")
        let btf = try #require(object.btf)
        let map = try #require(object.map(named: "ports"))
        #expect(btf.typeDescription(map.valueTypeID) == "struct bpf_devmap_val")
        let bytes = try BTFValue.encode(text: #"{"ifindex": 3, "bpf_prog": {"fd": -1}}"#, type: map.valueTypeID, btf: btf, order: .little)
        #expect(bytes == ValueInputs.hex("03 00 00 00 ff ff ff ff"))
        let value = try BTFValue.decode(bytes: bytes, type: map.valueTypeID, btf: btf, order: .little)
        #expect(value == .structure([
            .init(name: "ifindex", value: .unsigned(3, bits: 32)),
            .init(name: "bpf_prog", value: .union([.init(name: "fd", value: .signed(-1, bits: 32)),
                                                   .init(name: "id", value: .unsigned(0xffff_ffff, bits: 32))])),
        ]))
        #expect(value.text() == "{ifindex: 3, bpf_prog: {fd: -1, id: 4294967295}}")
        #expect(value.jsonText(pretty: true) == """
        {
          "ifindex": 3,
          "bpf_prog": {
            "fd": -1,
            "id": 4294967295
          }
        }
        """)
        #expect(try BTFValue.encode(text: value.jsonText, type: map.valueTypeID, btf: btf, order: .little) == bytes)
        #expect(try BTFValue.encode(text: "{bpf_prog: {id: 7}}", type: map.valueTypeID, btf: btf, order: .little)
                == ValueInputs.hex("00 00 00 00 07 00 00 00"))
        let wrong = #expect(throws: BTFValueError.self) {
            try BTFValue.encode(text: "{bpf_prog: {fd: 2147483648}}", type: map.valueTypeID, btf: btf)
        }
        #expect(wrong?.description == "bpf_prog.fd: 2147483648 does not fit in int (-2147483648 to 2147483647)")
    }

    /// xdp_lb's tuple (`__be32` addresses, `__be16` ports): numbers in network order, as
    /// people write them, whatever the machine's byte order.
    @Test func networkOrderFieldsReadAsNumbers() throws {
        let object = try ValueInputs.object("xdp_lb.bpf.o")
        let btf = try #require(object.btf)
        let map = try #require(object.map(named: "flows"))
        #expect(btf.typeDescription(map.keyTypeID) == "struct xdp_lb_tuple")
        let key = try BTFValue.encode(text: "{saddr: 0xc6120004, daddr: 0xc612000a, sport: 40000, dport: 80, proto: 6}",
                                      type: map.keyTypeID, btf: btf, order: .little)
        #expect(key == ValueInputs.hex("c6 12 00 04 c6 12 00 0a 9c 40 00 50 06 00 00 00"))
        let decoded = try BTFValue.decode(bytes: key, type: map.keyTypeID, btf: btf, order: .little)
        #expect(decoded.member("dport") == .unsigned(80, bits: 16) && decoded.member("saddr") == .unsigned(0xc612_0004, bits: 32))
        #expect(decoded.text() == "{saddr: 3323068420, daddr: 3323068426, sport: 40000, dport: 80, proto: 6, pad: [0, 0, 0]}")
        // a big-endian build stores the same bytes
        #expect(try BTFValue.encode(value: decoded, type: map.keyTypeID, btf: btf, order: .big) == key)
    }

    /// Every BTF-typed key and value of every map in the fixtures and the xdp-tools objects:
    /// bytes → value → bytes gives the same value, and for the committed fixtures (whose types
    /// have no padding) the same bytes; the text and JSON forms read back too.
    @Test func mapTypesRoundTrip() throws {
        var random = ValueInputs.Bytes(seed: 7)
        var checked = 0
        for url in Fixtures.objects + Fixtures.systemXDPObjects {
            let object = try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: url)), name: url.lastPathComponent)
            guard let btf = object.btf else { continue }
            let committed = url.path.hasPrefix(Fixtures.directory.path)
            for map in object.maps where map.origin != .data {
                for id in [map.keyTypeID, map.valueTypeID] where id != 0 {
                    let size = try #require(btf.size(of: id))
                    for _ in 0..<8 {
                        let bytes = random.next(size)
                        let context: Comment = "\(url.lastPathComponent) \(map.name) \(btf.typeDescription(id))"
                        let value = try BTFValue.decode(bytes: bytes, type: id, btf: btf, order: object.order)
                        let encoded = try BTFValue.encode(value: value, type: id, btf: btf, order: object.order)
                        if committed { #expect(encoded == bytes, context) }
                        #expect(try BTFValue.decode(bytes: encoded, type: id, btf: btf, order: object.order) == value, context)
                        #expect(try BTFValue.encode(text: value.text(), type: id, btf: btf, order: object.order) == encoded, context)
                        #expect(try BTFValue.encode(text: value.jsonText, type: id, btf: btf, order: object.order) == encoded, context)
                        checked += 1
                    }
                }
            }
        }
        #expect(checked >= 8 * 10)
    }
}
