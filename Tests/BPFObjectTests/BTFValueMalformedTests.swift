import Foundation
import Testing
@testable import BPFObject

/// Odd and broken types, built by hand: every problem is a ``BTFValueError``, never a trap
/// or a huge allocation. Also the few kinds the fixtures lack (floats, old-style bitfields).
@Suite struct BTFValueMalformedTests {
    /// Appends hand-made types to an empty BTF.
    struct Builder {
        var btf = BTF(order: .little)

        mutating func add(_ kind: BTFKind, name: String = "", kindFlag: Bool = false, _ sizeOrType: UInt32,
                          _ trailing: [UInt32] = [], vlen: Int = 0) throws -> BTFTypeID {
            let offset = name.isEmpty ? 0 : btf.addString(name)
            return try btf.append(BTFRawType(kind: kind, nameOffset: offset, kindFlag: kindFlag, vlen: vlen,
                                             sizeOrType: sizeOrType, trailing: trailing))
        }

        /// A struct of `size` bytes; each member is (name, type, offset word).
        mutating func structure(_ name: String, size: UInt32, kindFlag: Bool = false,
                                _ members: [(String, BTFTypeID, UInt32)]) throws -> BTFTypeID {
            var words: [UInt32] = []
            for (member, type, offset) in members { words += [btf.addString(member), type, offset] }
            return try add(.structure, name: name, kindFlag: kindFlag, size, words, vlen: members.count)
        }
    }

    func kind(_ body: () throws -> Any) -> BTFValueError.Kind? {
        do { _ = try body(); Issue.record("no error"); return nil } catch let error as BTFValueError {
            return error.kind
        } catch {
            Issue.record("not a BTFValueError: \(error)"); return nil
        }
    }

    @Test func brokenTypesGiveErrors() throws {
        var b = Builder()
        let int = try b.add(.int, name: "int", 4, [0x0100_0020])
        // A member past the end of its struct.
        let far = try b.structure("far", size: 4, [("x", int, 64)])
        #expect(kind { try BTFValue.decode(bytes: [0, 0, 0, 0], type: far, btf: b.btf) }
                == .outOfBounds(type: "int", offset: 8, size: 4, available: 4))
        #expect(kind { try BTFValue.encode(text: "{x: 1}", type: far, btf: b.btf) }
                == .outOfBounds(type: "int", offset: 8, size: 4, available: 4))
        // 4 billion zero-sized elements.
        let empty = try b.structure("empty", size: 0, [])
        let many = try b.add(.array, 0, [empty, int, 0xffff_ffff])
        #expect(kind { try BTFValue.decode(bytes: [], type: many, btf: b.btf) }
                == .tooComplex("struct empty[4294967295] has more than 1048576 elements"))
        #expect(try BTFValue.encode(text: "[{}, {}]", type: many, btf: b.btf) == [])
        // An array whose size overflows.
        let row = try b.add(.array, 0, [int, int, 0xffff_ffff])
        let matrix = try b.add(.array, 0, [row, int, 0xffff_ffff])
        #expect(b.btf.size(of: matrix) == nil)
        #expect(throws: BTFValueError.self) { try BTFValue.decode(bytes: [1, 2, 3, 4], type: matrix, btf: b.btf) }
        #expect(kind { try BTFValue.encode(text: "[]", type: matrix, btf: b.btf) }
                == .unsupportedType(type: "int[4294967295][4294967295]", reason: "the type has no size"))
        // A 2 GiB struct is not allocated.
        let giant = try b.structure("giant", size: 0x7fff_ffff, [])
        #expect(kind { try BTFValue.encode(text: "{}", type: giant, btf: b.btf) }
                == .tooComplex("struct giant is 2147483647 bytes, more than 67108864"))
        #expect(kind { try BTFValue.decode(bytes: [], type: giant, btf: b.btf) }
                == .sizeMismatch(type: "struct giant", expected: 0x7fff_ffff, actual: 0))
        // Typedefs that loop, void, an unknown id, a function prototype.
        let first = BTFTypeID(b.btf.typeCount + 1)
        _ = try b.add(.typedef, name: "a", first + 1)
        _ = try b.add(.typedef, name: "b", first)
        #expect(kind { try BTFValue.decode(bytes: [], type: first, btf: b.btf) } == .noSuchType(first))
        #expect(kind { try BTFValue.encode(text: "1", type: first, btf: b.btf) } == .noSuchType(first))
        #expect(kind { try BTFValue.decode(bytes: [], type: 0, btf: b.btf) } == .noType)
        #expect(kind { try BTFValue.encode(text: "1", type: 0, btf: b.btf) } == .noType)
        #expect(kind { try BTFValue.decode(bytes: [], type: 9999, btf: b.btf) } == .noSuchType(9999))
        let proto = try b.add(.functionProto, int)
        #expect(kind { try BTFValue.decode(bytes: [], type: proto, btf: b.btf) }
                == .unsupportedType(type: "int (void)", reason: "a FUNC_PROTO type has no value"))
        let pointerToProto = try b.add(.pointer, proto)
        #expect(try BTFValue.decode(bytes: [1, 0, 0, 0, 0, 0, 0, 0], type: pointerToProto, btf: b.btf, order: .little) == .pointer(1))
        // A kind_flag bitfield wider than 64 bits.
        let wide = try b.structure("wide", size: 16, kindFlag: true, [("w", int, 100 << 24)])
        #expect(kind { try BTFValue.decode(bytes: [UInt8](repeating: 0, count: 16), type: wide, btf: b.btf) }
                == .unsupportedType(type: "int", reason: "a 100-bit field of this type is not supported"))
        #expect(kind { try BTFValue.encode(text: "{w: 1}", type: wide, btf: b.btf) }
                == .unsupportedType(type: "int:100", reason: "a bitfield wider than 64 bits is not supported"))
        // Structs nested deeper than the limit.
        var inner = int
        for level in 0..<70 { inner = try b.structure("level\(level)", size: 4, [("m", inner, 0)]) }
        #expect(kind { try BTFValue.decode(bytes: [0, 0, 0, 0], type: inner, btf: b.btf) }
                == .tooComplex("the type nests deeper than 64 levels"))
    }

    @Test func floatsPointersBoolsAndOldBitfields() throws {
        var b = Builder()
        let float = try b.add(.float, name: "float", 4)
        let double = try b.add(.float, name: "double", 8)
        let half = try b.add(.float, name: "_Float16", 2)
        let int = try b.add(.int, name: "int", 4, [0x0100_0020])
        let pointer = try b.add(.pointer, int)
        let bool = try b.add(.int, name: "_Bool", 1, [0x0400_0008])
        let btf = b.btf

        let onePointFive = try BTFValue.encode(text: "1.5", type: float, btf: btf, order: .little)
        #expect(onePointFive == [0, 0, 0xc0, 0x3f])
        #expect(try BTFValue.decode(bytes: onePointFive, type: float, btf: btf, order: .little).doubleValue == 1.5)
        #expect(try BTFValue.encode(text: "-2.25", type: double, btf: btf, order: .big) == [0xc0, 0x02, 0, 0, 0, 0, 0, 0])
        #expect(try BTFValue.decode(bytes: try BTFValue.encode(text: "0.1", type: float, btf: btf), type: float, btf: btf).text() == "0.1")
        #expect(try BTFValue.decode(bytes: try BTFValue.encode(text: "-inf", type: double, btf: btf), type: double, btf: btf).jsonText == "\"-inf\"")
        #expect(kind { try BTFValue.encode(text: "1e39", type: float, btf: btf) }
                == .outOfRange(text: "1e39", type: "float", range: "±\(Float.greatestFiniteMagnitude)"))
        #expect(kind { try BTFValue.encode(text: "one", type: double, btf: btf) } == .expected(what: "a number", type: "double", got: "one"))
        #expect(try BTFValue.decode(bytes: [0x00, 0x3c], type: half, btf: btf) == .bytes([0x00, 0x3c]))
        #expect(try BTFValue.encode(text: "00 3c", type: half, btf: btf) == [0x00, 0x3c])

        #expect(try BTFValue.encode(text: "0xffff888000001000", type: pointer, btf: btf, order: .little)
                == [0x00, 0x10, 0x00, 0x00, 0x80, 0x88, 0xff, 0xff])
        #expect(try BTFValue.decode(bytes: [0x00, 0x10, 0, 0, 0x80, 0x88, 0xff, 0xff], type: pointer, btf: btf, order: .little).text()
                == "0xffff888000001000")

        #expect(try BTFValue.decode(bytes: [1], type: bool, btf: btf) == .bool(true))
        #expect(try BTFValue.decode(bytes: [0], type: bool, btf: btf) == .bool(false))
        #expect(try BTFValue.decode(bytes: [2], type: bool, btf: btf) == .unsigned(2, bits: 8))
        #expect(try BTFValue.encode(text: "true", type: bool, btf: btf) == [1])
        #expect(try BTFValue.encode(text: "0", type: bool, btf: btf) == [0])
        #expect(kind { try BTFValue.encode(text: "yes", type: bool, btf: btf) }
                == .expected(what: "true, false or an integer", type: "_Bool", got: "yes"))

        // Bitfields as old compilers wrote them: no kind_flag, the width in an INT of 3 bits.
        let three = try b.add(.int, name: "unsigned int", 4, [3])
        let old = try b.structure("old", size: 4, [("lo", three, 0), ("hi", three, 5)])
        let bytes = try BTFValue.encode(text: "{lo: 5, hi: 7}", type: old, btf: b.btf, order: .little)
        #expect(bytes == [0b1110_0101, 0, 0, 0])
        #expect(try BTFValue.decode(bytes: bytes, type: old, btf: b.btf, order: .little).text() == "{lo: 5, hi: 7}")
        #expect(kind { try BTFValue.encode(text: "{hi: 8}", type: old, btf: b.btf) }
                == .outOfRange(text: "8", type: "unsigned int:3", range: "0 to 7"))
    }

    /// Every type of every fixture's BTF, with random bytes of its size (or a few bytes when it
    /// has none): decoding gives a value or a ``BTFValueError``.
    @Test func everyFixtureTypeDecodesOrFails() throws {
        var random = ValueInputs.Bytes(seed: 3)
        for url in Fixtures.objects {
            guard let btf = try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: url))).btf else { continue }
            for id in btf.typeIDs {
                let bytes = random.next(min(btf.size(of: id) ?? 3, 4096))
                do {
                    let value = try BTFValue.decode(bytes: bytes, type: id, btf: btf)
                    _ = try BTFValue.encode(value: value, type: id, btf: btf)
                } catch {
                    // Typed: the only error these calls can throw.
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }
}
