import Testing
@testable import BPFObject

/// Which integers the value codec treats as network order (`BTF.isNetworkOrder`): those under
/// a typedef named `__be16`, `__be32` or `__be64`, however many typedefs and qualifiers wrap
/// it. The fixtures cover plain `__be16`/`__be32` members; these hand-made types cover chains,
/// qualifiers and names that only look alike.
@Suite struct BTFValueNetworkOrderTests {
    typealias Builder = BTFValueMalformedTests.Builder

    /// `__u16`, `__u32`, `__u64` and the three `__be` typedefs over them.
    struct Base {
        var b = Builder()
        let u16: BTFTypeID, u32: BTFTypeID, u64: BTFTypeID
        let be16: BTFTypeID, be32: BTFTypeID, be64: BTFTypeID

        init() throws {
            let short = try b.add(.int, name: "unsigned short", 2, [0x10])
            let int = try b.add(.int, name: "unsigned int", 4, [0x20])
            let long = try b.add(.int, name: "unsigned long long", 8, [0x40])
            u16 = try b.add(.typedef, name: "__u16", short)
            u32 = try b.add(.typedef, name: "__u32", int)
            u64 = try b.add(.typedef, name: "__u64", long)
            be16 = try b.add(.typedef, name: "__be16", u16)
            be32 = try b.add(.typedef, name: "__be32", u32)
            be64 = try b.add(.typedef, name: "__be64", u64)
        }
    }

    @Test func theThreeTypedefsAndOnlyThem() throws {
        var base = try Base()
        #expect(base.b.btf.isNetworkOrder(base.be16))
        #expect(base.b.btf.isNetworkOrder(base.be32))
        #expect(base.b.btf.isNetworkOrder(base.be64))
        #expect(!base.b.btf.isNetworkOrder(base.u16))
        #expect(!base.b.btf.isNetworkOrder(0))
        // Typedefs whose names are near misses.
        for name in ["__le16", "__be", "__be8", "__be128", "__be16x", "be16", "__BE16", "___be16", "__be1"] {
            let typedef = try base.b.add(.typedef, name: name, base.u16)
            #expect(!base.b.btf.isNetworkOrder(typedef), "\(name)")
        }
        // An anonymous typedef, and types that are not typedefs but carry the name.
        let anonymous = try base.b.add(.typedef, base.u16)
        #expect(!base.b.btf.isNetworkOrder(anonymous))
        let int = try base.b.add(.int, name: "__be32", 4, [0x20])
        #expect(!base.b.btf.isNetworkOrder(int))
        let structure = try base.b.structure("__be32", size: 4, [("x", base.u32, 0)])
        #expect(!base.b.btf.isNetworkOrder(structure))
        // A pointer to __be16 is not itself network order.
        let pointer = try base.b.add(.pointer, base.be16)
        #expect(!base.b.btf.isNetworkOrder(pointer))
        // The name is read where the offset points, even inside a longer string.
        let longer = base.b.btf.addString("my__be16")
        let inside = try base.b.btf.append(BTFRawType(kind: .typedef, nameOffset: longer + 2, sizeOrType: base.u16))
        #expect(base.b.btf.isNetworkOrder(inside))
    }

    @Test func chainsAndQualifiersAreFollowed() throws {
        var base = try Base()
        // typedef __be32 my_addr; typedef const __be16 cport; typedef my_addr addr_t;
        let myAddr = try base.b.add(.typedef, name: "my_addr", base.be32)
        let constBE16 = try base.b.add(.const, base.be16)
        let cport = try base.b.add(.typedef, name: "cport", constBE16)
        let addr = try base.b.add(.typedef, name: "addr_t", myAddr)
        let constAddr = try base.b.add(.const, addr)
        let volatileConstAddr = try base.b.add(.volatile, constAddr)
        let restrict = try base.b.add(.restrict, base.be64)
        let tagged = try base.b.add(.typeTag, name: "user", base.be16)
        for id in [myAddr, constBE16, cport, addr, volatileConstAddr, restrict, tagged] {
            #expect(base.b.btf.isNetworkOrder(id), "\(base.b.btf.typeDescription(id))")
        }
        // Qualifiers over a host-order typedef stay host order.
        let constU32 = try base.b.add(.const, base.u32)
        #expect(!base.b.btf.isNetworkOrder(constU32))
        // A typedef cycle ends the walk.
        let first = try base.b.add(.typedef, name: "loop_a", 0)
        let second = try base.b.add(.typedef, name: "loop_b", first)
        let loopName = base.b.btf.addString("loop_a")
        try base.b.btf.replace(first, with: BTFRawType(kind: .typedef, nameOffset: loopName, sizeOrType: second))
        #expect(!base.b.btf.isNetworkOrder(first))
    }

    /// `struct { my_addr addr; const volatile __be16 port; __u16 id; }`: the first two read as
    /// numbers in network order, the last in the value's order, and encode back to the bytes.
    @Test func wrappedFieldsDecodeAndEncodeBigEndian() throws {
        var base = try Base()
        let myAddr = try base.b.add(.typedef, name: "my_addr", base.be32)
        let volatileBE16 = try base.b.add(.volatile, base.be16)
        let port = try base.b.add(.const, volatileBE16)
        let endpoint = try base.b.structure("endpoint", size: 8, [("addr", myAddr, 0), ("port", port, 32), ("id", base.u16, 48)])
        let bytes: [UInt8] = [0xc6, 0x12, 0x00, 0x04, 0x00, 0x50, 0x07, 0x00]
        let value = try BTFValue.decode(bytes: bytes, type: endpoint, btf: base.b.btf, order: .little)
        #expect(value.text() == "{addr: 3323068420, port: 80, id: 7}")
        #expect(try BTFValue.encode(value: value, type: endpoint, btf: base.b.btf, order: .little) == bytes)
        // On a big-endian machine only the host-order field's bytes differ.
        #expect(try BTFValue.encode(value: value, type: endpoint, btf: base.b.btf, order: .big)
                == [0xc6, 0x12, 0x00, 0x04, 0x00, 0x50, 0x00, 0x07])
    }
}
