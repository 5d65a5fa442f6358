import Foundation
import Testing
@testable import BPFObject

/// Bad input must give a ``ParseError`` — never a trap, a hang or a huge allocation — and
/// whatever does parse must be safe to query, dump and write.
@Suite struct BTFMalformedTests {
    /// Parses `bytes`; on success runs every query on every type so a bad-but-accepted input
    /// that would trap in a helper is caught too. Returns whether it parsed.
    @discardableResult
    static func parseAndExercise(_ bytes: [UInt8]) -> Bool {
        let btf: BTF
        do { btf = try BTF(bytes: bytes) } catch { return false }
        _ = btf.dump()
        for id in 0...BTFTypeID(btf.typeCount + 1) {
            _ = btf.type(id)
            _ = btf.size(of: id)
            _ = btf.resolve(id)
            _ = btf.typeDescription(id)
            _ = btf.rawType(id)
        }
        let written = btf.encoded()
        #expect((try? BTF(bytes: written)) == btf, "what parsed must write back and parse the same")
        return true
    }

    @Test(arguments: BTFInputs.sampleNames)
    func everyTruncationIsAnError(_ name: String) throws {
        let bytes = BTFInputs.sample(name).btf
        var accepted: [Int] = []
        for length in 0..<bytes.count where Self.parseAndExercise(Array(bytes.prefix(length))) {
            accepted.append(length)
        }
        #expect(accepted.isEmpty, "accepted truncations: \(accepted.prefix(10))")

        let btf = try BTF(bytes: bytes)
        let ext = BTFInputs.sample(name).ext
        var acceptedExt: [Int] = []
        for length in 0..<ext.count where (try? BTFExt(bytes: ext.prefix(length), btf: btf)) != nil {
            acceptedExt.append(length)
        }
        #expect(acceptedExt.isEmpty, "accepted .BTF.ext truncations: \(acceptedExt.prefix(10))")
    }

    @Test func vmlinuxTruncations() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: BTFInputs.vmlinuxPath)))
        var lengths = Array(0..<40) + [bytes.count - 1, bytes.count - 2, bytes.count - 5]
        lengths += stride(from: 40, to: bytes.count, by: bytes.count / 24)
        for length in lengths {
            #expect(throws: ParseError.self, "truncated to \(length)") { try BTF(bytes: bytes.prefix(length)) }
        }
    }

    @Test(arguments: BTFInputs.sampleNames)
    func randomByteFlips(_ name: String) throws {
        let sample = BTFInputs.sample(name)
        let btf = try BTF(bytes: sample.btf)
        var generator = SeededGenerator(seed: 0x5EED_B7F0 ^ UInt64(sample.btf.count))
        var parsed = 0
        for round in 0..<600 {
            var bytes = sample.btf
            // Most rounds hit the header and type section, where counts and ids live.
            let limit = round % 4 == 0 ? bytes.count : min(bytes.count, 24 + Int(btf.header.typeLength))
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                bytes[Int.random(in: 0..<limit, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Self.parseAndExercise(bytes) { parsed += 1 }

            var ext = sample.ext
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                ext[Int.random(in: 0..<ext.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if let parsedExt = try? BTFExt(bytes: ext[...], btf: btf) {
                for group in parsedExt.funcInfo {
                    _ = parsedExt.kernelFuncInfo(section: group.sectionName, instructions: 0..<1_000_000, placedAt: 7)
                    _ = parsedExt.kernelLineInfo(section: group.sectionName, instructions: 0..<1_000_000, placedAt: 7)
                }
                _ = parsedExt.coreRelocations.flatMap(\.records).map { ($0.kind, $0.accessPath) }
            }
        }
        #expect(parsed > 0, "some mutations (e.g. in names) still parse and were exercised")
    }

    /// Offsets into the kinds sample (little-endian): header fields and type #34 (`struct bits`).
    @Test func corruptedCountsAndFields() throws {
        let good = BTFSamples.kindsBTF
        let btf = try BTF(bytes: good)
        let bitsOffset = 24 + 4 * Int(btf.starts[34])
        func patched(_ offset: Int, _ value: UInt32) -> [UInt8] {
            var bytes = good
            ByteOrder.little.store(value, into: &bytes, at: offset)
            return bytes
        }
        func kind(of bytes: [UInt8]) -> ParseError.Kind? {
            do { _ = try BTF(bytes: bytes); return nil } catch { return error.kind }
        }
        func isTruncated(_ kind: ParseError.Kind?) -> Bool {
            if case .truncated = kind { return true }
            return false
        }
        func isInvalid(_ kind: ParseError.Kind?) -> Bool {
            if case .invalid = kind { return true }
            return false
        }
        let info = btf.info(of: 34)
        #expect(isTruncated(kind(of: patched(bitsOffset + 4, info | 0xffff))), "vlen 65535")
        #expect(isTruncated(kind(of: patched(12, 0xffff_fff0))), "type_len")
        #expect(isTruncated(kind(of: patched(20, 0xffff_ffff))), "str_len")
        #expect(isTruncated(kind(of: patched(4, 0xffff_ffff))), "hdr_len huge")
        #expect(isInvalid(kind(of: patched(4, 8))), "hdr_len too small")
        #expect(isInvalid(kind(of: patched(12, btf.header.typeLength - 2))), "type_len not a multiple of 4")
        #expect(kind(of: [0x9F, 0xEB, 2, 0] + good.dropFirst(4)) == .unsupported("BTF version 2"))
        #expect(kind(of: [0x12, 0x34] + good.dropFirst(2)) == .badMagic)
        #expect(kind(of: []) != nil && kind(of: [0x9F]) != nil)
        #expect(kind(of: patched(bitsOffset + 4, 20 << 24)) == .unsupported("BTF kind 20"))
        #expect(kind(of: patched(bitsOffset + 4, 0)) == .unsupported("BTF kind 0"))
        #expect(isInvalid(kind(of: patched(bitsOffset, 0x00ff_ffff))), "name offset outside the strings")
        #expect(isInvalid(kind(of: patched(bitsOffset + 12, 0x00ff_ffff))), "member name outside the strings")
        #expect(isInvalid(kind(of: patched(bitsOffset + 16, 65))), "member type id 65 of 64")
        #expect(isInvalid(kind(of: patched(24 + 4, 2 << 24 | 0))) == false, "a PTR in place of PTR is fine")
        #expect(isInvalid(kind(of: patched(24 + 8, 1000))), "pointer to a missing type")
        var unterminated = good
        unterminated[unterminated.count - 1] = 0x41
        #expect(isInvalid(kind(of: unterminated)), "string section without a final NUL")
        var emptyFirst = good
        emptyFirst[24 + Int(btf.header.stringOffset)] = 0x41
        #expect(isInvalid(kind(of: emptyFirst)), "string section not starting with an empty string")

        let error = try #require(throws: ParseError.self) { try BTF(bytes: patched(bitsOffset + 16, 65)) }
        #expect(error.offset == bitsOffset + 16, "errors carry the byte offset")
        #expect(error.context.contains("#34"))
    }

    @Test func corruptedExtCounts() throws {
        let btf = try BTF(bytes: BTFSamples.coreBTF)
        let good = BTFSamples.coreExt
        func patched(_ offset: Int, _ value: UInt32) -> [UInt8] {
            var bytes = good
            ByteOrder.little.store(value, into: &bytes, at: offset)
            return bytes
        }
        func fails(_ bytes: [UInt8]) -> Bool { (try? BTFExt(bytes: bytes[...], btf: btf)) == nil }
        let funcInfo = 32  // hdr_len 32, func_info_off 0: record size, then the first group
        #expect(fails(patched(funcInfo + 8, 0xffff_ffff)), "num_info 2^32-1")
        #expect(fails(patched(funcInfo + 8, 0x1000_0000)), "num_info large")
        #expect(fails(patched(funcInfo + 8, 0)), "num_info 0")
        #expect(fails(patched(funcInfo + 4, 0x00ff_ffff)), "sec_name_off outside the strings")
        #expect(fails(patched(funcInfo, 0xffff_ffff)), "record size 2^32-1")
        #expect(fails(patched(funcInfo, 0)), "record size 0")
        #expect(fails(patched(12, 0xffff_ffff)), "func_info_len")
        #expect(fails(patched(8, 2)), "func_info_off unaligned")
        #expect(fails(patched(4, 0xffff_ffff)), "hdr_len")
        #expect(fails(patched(4, 20)), "hdr_len too small")
        #expect(fails(patched(32 + 52 + 4 + 8 + 4, 0x00ff_ffff)), "line_info file_name_off outside the strings")
        // A 24-byte header (no CO-RE fields) is valid; the CO-RE bytes left at the end are
        // then just unused.
        let short = try BTFExt(bytes: (Array(patched(4, 24)[0..<24]) + good[32...])[...], btf: btf)
        #expect(short.coreRelocations.isEmpty)
        #expect(short.funcInfo.count == 3)
    }

    /// Valid BTF that loops: typedef cycles, a self-pointer, a prototype whose parameters point
    /// back to itself, deep arrays and sizes that overflow.
    @Test func cyclesAndOverflowsAreSafe() throws {
        var btf = BTF(order: .little)
        let a = try btf.append(BTFRawType(kind: .typedef, nameOffset: btf.addString("a"), sizeOrType: 2))   // 1
        _ = try btf.append(BTFRawType(kind: .typedef, nameOffset: btf.addString("b"), sizeOrType: 1))       // 2
        let loop = try btf.append(BTFRawType(kind: .pointer, sizeOrType: 3))                                // 3
        let proto = try btf.append(BTFRawType(kind: .functionProto, vlen: 16, sizeOrType: 5,
                                              trailing: Array(repeating: [0, 5], count: 16).flatMap { $0 })) // 4
        _ = try btf.append(BTFRawType(kind: .pointer, sizeOrType: 4))                                       // 5
        let int = try btf.append(BTFRawType(kind: .int, nameOffset: btf.addString("int"), sizeOrType: 4,
                                            trailing: [32]))                                                // 6
        var element = int
        for _ in 0..<40 { element = try btf.append(BTFRawType(kind: .array, sizeOrType: 0, trailing: [element, int, 2])) }
        let big = try btf.append(BTFRawType(kind: .structure, sizeOrType: 0xffff_ffff))
        var huge = big
        for _ in 0..<3 { huge = try btf.append(BTFRawType(kind: .array, sizeOrType: 0, trailing: [huge, int, 0xffff_ffff])) }
        let parsed = try BTF(bytes: btf.encoded())
        #expect(parsed == btf)
        #expect(parsed.resolve(a) == nil && parsed.size(of: a) == nil)
        #expect(parsed.resolve(loop) == loop && parsed.size(of: loop) == 8)
        #expect(parsed.size(of: element) == nil, "40 nested arrays exceed the resolve depth")
        #expect(parsed.size(of: huge) == nil, "overflow")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for id in parsed.typeIDs { _ = parsed.typeDescription(id) }
        }
        #expect(elapsed < .seconds(5))
        #expect(parsed.typeDescription(proto).count < 2_000_000)
        #expect(Self.parseAndExercise(btf.encoded()))
    }
}
