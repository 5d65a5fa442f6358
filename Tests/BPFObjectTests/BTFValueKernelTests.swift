import Testing
@testable import BPFObject

/// The value codec on the running kernel's BTF: bitfields (`struct iphdr`), anonymous unions,
/// signed enums and ENUM64, `char[16]`, `__int128`, and a sweep over every small struct/union.
@Suite struct BTFValueKernelTests {
    /// A real IPv4 header: 192.168.0.1 → 198.18.0.2, TCP, TTL 64.
    static let ipv4Header = ValueInputs.hex("45 00 00 54 12 34 40 00 40 06 cd ab c0 a8 00 01 c6 12 00 02")

    @Test func ipHeaderBitfields() throws {
        let btf = try ValueInputs.kernel()
        let iphdr = try ValueInputs.type("iphdr", .structure, in: btf)
        let value = try BTFValue.decode(bytes: Self.ipv4Header, type: iphdr, btf: btf, order: .little)
        // `ihl:4` is the low nibble of the first byte on a little-endian machine, `version:4` the high one.
        #expect(value.member("ihl") == .unsigned(5, bits: 4))
        #expect(value.member("version") == .unsigned(4, bits: 4))
        #expect(value.member("ttl") == .unsigned(64, bits: 8))
        #expect(value.member("protocol") == .unsigned(6, bits: 8))
        // __be16 and __be32 (typedefs of plain integers in BTF) are read big-endian whatever
        // the order asked for: the numbers, not the memory. __sum16 is not one of them.
        #expect(value.member("tot_len") == .unsigned(84, bits: 16))
        // saddr/daddr sit in an anonymous union, next to the `addrs` struct of the same bytes.
        #expect(value.member("saddr") == .unsigned(0xc0a8_0001, bits: 32))
        #expect(value.member("addrs")?.member("daddr") == .unsigned(0xc612_0002, bits: 32))
        #expect(value.text() == "{ihl: 5, version: 4, tos: 0, tot_len: 84, id: 4660, frag_off: 16384, ttl: 64, "
                + "protocol: 6, check: 43981, saddr: 3232235521, daddr: 3323068418, addrs: {saddr: 3232235521, daddr: 3323068418}}")
        #expect(try BTFValue.encode(value: value, type: iphdr, btf: btf, order: .little) == Self.ipv4Header)
        #expect(try BTFValue.encode(text: value.jsonText, type: iphdr, btf: btf, order: .little) == Self.ipv4Header)
    }

    @Test func ipHeaderBitfieldsFromText() throws {
        let btf = try ValueInputs.kernel()
        let iphdr = try ValueInputs.type("iphdr", .structure, in: btf)
        let bytes = try BTFValue.encode(text: "{version: 4, ihl: 5, tot_len: 84, ttl: 64, protocol: 6, daddr: 0xc6120002}",
                                        type: iphdr, btf: btf, order: .little)
        #expect(bytes == ValueInputs.hex("45 00 00 54 00 00 00 00 40 06 00 00 00 00 00 00 c6 12 00 02"))
        // the same bytes when the value is built for a big-endian target
        #expect(try BTFValue.encode(text: "{tot_len: 84, daddr: 0xc6120002}", type: iphdr, btf: btf, order: .big)
                == ValueInputs.hex("00 00 00 54 00 00 00 00 00 00 00 00 00 00 00 00 c6 12 00 02"))
        // Setting one bitfield leaves its neighbour alone.
        let ihlOnly = try BTFValue.encode(text: "{ihl: 15}", type: iphdr, btf: btf, order: .little)
        #expect(ihlOnly[0] == 0x0f)
        let tooWide = #expect(throws: BTFValueError.self) {
            try BTFValue.encode(text: "{ihl: 16}", type: iphdr, btf: btf)
        }
        #expect(tooWide?.description == "ihl: 16 does not fit in __u8:4 (0 to 15)")
        let unknown = #expect(throws: BTFValueError.self) {
            try BTFValue.encode(text: "{addrs: {saddr: 1, port: 2}}", type: iphdr, btf: btf)
        }
        #expect(unknown?.description == "addrs: struct {...} has no member 'port'")
    }

    @Test func enumsByNameAndNumber() throws {
        let btf = try ValueInputs.kernel()
        let action = try ValueInputs.type("xdp_action", .enumeration, in: btf)
        let pass = try BTFValue.decode(bytes: [2, 0, 0, 0], type: action, btf: btf, order: .little)
        #expect(pass == .enumerator("XDP_PASS", value: .unsigned(2, bits: 32)))
        #expect(pass.text() == "XDP_PASS" && pass.jsonText == "\"XDP_PASS\"")
        let other = try BTFValue.decode(bytes: [99, 0, 0, 0], type: action, btf: btf, order: .little)
        #expect(other == .enumerator(nil, value: .unsigned(99, bits: 32)) && other.text() == "99" && other.jsonText == "99")
        #expect(try BTFValue.encode(text: "XDP_TX", type: action, btf: btf, order: .little) == [3, 0, 0, 0])
        #expect(try BTFValue.encode(text: "\"XDP_DROP\"", type: action, btf: btf, order: .little) == [1, 0, 0, 0])
        #expect(try BTFValue.encode(text: "7", type: action, btf: btf, order: .little) == [7, 0, 0, 0])
        let unknown = #expect(throws: BTFValueError.self) { try BTFValue.encode(text: "XDP_FOO", type: action, btf: btf) }
        #expect(unknown?.description.hasPrefix("'XDP_FOO' is not an enumerator of enum xdp_action (known: XDP_ABORTED, XDP_DROP") == true)

        // A signed enum (kind_flag set) with a negative enumerator.
        let status = try ValueInputs.type("rpm_status", .enumeration, in: btf)
        let invalid = try BTFValue.decode(bytes: [0xff, 0xff, 0xff, 0xff], type: status, btf: btf)
        #expect(invalid == .enumerator("RPM_INVALID", value: .signed(-1, bits: 32)))
        #expect(try BTFValue.encode(text: "RPM_INVALID", type: status, btf: btf) == [0xff, 0xff, 0xff, 0xff])
        #expect(try BTFValue.encode(text: "-1", type: status, btf: btf) == [0xff, 0xff, 0xff, 0xff])

        // ENUM64 with values above Int64.max.
        let context = try ValueInputs.type("perf_callchain_context", .enum64, in: btf)
        let hv = try BTFValue.encode(text: "PERF_CONTEXT_HV", type: context, btf: btf, order: .little)
        #expect(hv == ValueInputs.hex("e0 ff ff ff ff ff ff ff"))
        #expect(try BTFValue.decode(bytes: hv, type: context, btf: btf, order: .little)
                == .enumerator("PERF_CONTEXT_HV", value: .unsigned(18_446_744_073_709_551_584, bits: 64)))
    }

    @Test func charArraysAsText() throws {
        let btf = try ValueInputs.kernel()
        let comm = try ValueInputs.memberType("comm", of: "task_struct", in: btf)
        #expect(btf.typeDescription(comm) == "char[16]")
        let bytes = try BTFValue.encode(text: "swift-xdp", type: comm, btf: btf)
        #expect(bytes == Array("swift-xdp".utf8) + [UInt8](repeating: 0, count: 7))
        #expect(try BTFValue.decode(bytes: bytes, type: comm, btf: btf) == .string("swift-xdp"))
        #expect(try BTFValue.decode(bytes: bytes, type: comm, btf: btf).jsonText == "\"swift-xdp\"")
        #expect(try BTFValue.encode(text: "\"two words\"", type: comm, btf: btf) == Array("two words".utf8) + [UInt8](repeating: 0, count: 7))
        #expect(try BTFValue.encode(text: "[104, 105]", type: comm, btf: btf) == [104, 105] + [UInt8](repeating: 0, count: 14))
        #expect(try BTFValue.decode(bytes: [UInt8](repeating: 0, count: 16), type: comm, btf: btf) == .string(""))
        // Not text: a byte that is not printable, no NUL at all, or bytes after the NUL.
        for bytes in [[1] + [UInt8](repeating: 0, count: 15), [UInt8](repeating: 0x41, count: 16),
                      [0x41, 0, 0x42] + [UInt8](repeating: 0, count: 13)] {
            let value = try BTFValue.decode(bytes: bytes, type: comm, btf: btf)
            #expect(value == .array(bytes.map { .unsigned(UInt64($0), bits: 8) }))
            #expect(try BTFValue.encode(value: value, type: comm, btf: btf) == bytes)
        }
        let long = #expect(throws: BTFValueError.self) {
            try BTFValue.encode(text: "sixteen-chars-xx", type: comm, btf: btf)
        }
        #expect(long?.description == "a string of 16 bytes does not fit in char[16] (at most 15 bytes and a NUL)")
        // `unsigned char` (`__u8`) arrays are numbers, not text.
        let mac = try ValueInputs.memberType("h_dest", of: "ethhdr", in: btf)
        #expect(try BTFValue.decode(bytes: Array("abcde".utf8) + [0], type: mac, btf: btf)
                == .array([97, 98, 99, 100, 101, 0].map { .unsigned($0, bits: 8) }))
    }

    @Test func wideIntegersAreBytes() throws {
        let btf = try ValueInputs.kernel()
        let int128 = try ValueInputs.type("__int128 unsigned", .int, in: btf)
        let bytes = (1...16).map { UInt8($0) }
        let value = try BTFValue.decode(bytes: bytes, type: int128, btf: btf)
        #expect(value == .bytes(bytes))
        #expect(value.text() == "\"01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10\"")
        #expect(try BTFValue.encode(text: value.text(), type: int128, btf: btf) == bytes)
        #expect(try BTFValue.encode(text: "0102030405060708090a0b0c0d0e0f10", type: int128, btf: btf) == bytes)
        #expect(throws: BTFValueError.self) { try BTFValue.encode(text: "01 02", type: int128, btf: btf) }
    }

    /// Every fourth struct and union of the kernel up to 256 bytes (about 3000 types), filled
    /// with reproducible random bytes: decoding never fails, and encoding the value (and its
    /// text and JSON) gives bytes that decode to the same value.
    @Test func smallKernelTypesRoundTrip() throws {
        let btf = try ValueInputs.kernel()
        var random = ValueInputs.Bytes(seed: 42)
        var checked = 0
        var seen = 0
        for id in btf.typeIDs {
            let kind = btf.kind(of: id)
            guard kind == .structure || kind == .union, let size = btf.size(of: id), size <= 256 else { continue }
            seen += 1
            guard seen % 4 == 0 else { continue }
            let bytes = random.next(size)
            let name = btf.typeDescription(id)
            let value = try BTFValue.decode(bytes: bytes, type: id, btf: btf, order: .little)
            let encoded = try BTFValue.encode(value: value, type: id, btf: btf, order: .little)
            #expect(try BTFValue.decode(bytes: encoded, type: id, btf: btf, order: .little) == value, "\(id) \(name)")
            if checked % 8 == 0 {
                #expect(try BTFValue.encode(text: value.text(), type: id, btf: btf, order: .little) == encoded, "\(id) \(name)")
                #expect(try BTFValue.encode(text: value.jsonText, type: id, btf: btf, order: .little) == encoded, "\(id) \(name)")
            }
            checked += 1
        }
        #expect(checked > 1000, "only \(checked) types")
    }
}
