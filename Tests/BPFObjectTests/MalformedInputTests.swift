import Foundation
import Testing
@testable import BPFObject

/// Bad input never crashes, hangs or allocates without bound: every fixture, cut short at
/// every section boundary and at many other offsets, and with random bytes flipped, either
/// still reads (a flip in DWARF changes nothing a loader uses) or fails with a ``ParseError``
/// whose offset lies inside the input.
@Suite struct MalformedInputTests {
    static var inputs: [URL] { Fixtures.objects + Fixtures.systemXDPObjects }

    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Reads and links `bytes`; returns the parse error, if any. Link errors are typed too.
    static func readAndLink(_ bytes: [UInt8]) -> ParseError? {
        do {
            let object = try BPFObjectFile(bytes: bytes)
            for program in object.programs {
                if let linked = try? object.link(program) {
                    let fds = Dictionary(uniqueKeysWithValues: object.maps.map { ($0.name, Int32(3)) })
                    _ = try? MapRelocator.apply(linked, mapFDs: fds)
                }
            }
            return nil
        } catch {
            return error
        }
    }

    /// Offsets worth cutting at: every section's start and end, every section header, the
    /// ELF header's fields, and a spread of others.
    static func cutPoints(_ bytes: [UInt8], generator: inout SeededGenerator) throws -> [Int] {
        let elf = try ELFFile(bytes: bytes)
        var points: Set<Int> = [0, 1, 4, 5, 16, 18, 20, 40, 48, 58, 60, 62, 63, 64]
        for section in elf.sections {
            points.insert(section.offset)
            points.insert(section.offset + section.size)
            points.insert(section.offset + section.size - 1)
        }
        let headerTable = elf.sections.isEmpty ? 0 : bytes.count - elf.sections.count * ELF.sectionHeaderSize
        for index in 0...elf.sections.count { points.insert(headerTable + index * ELF.sectionHeaderSize) }
        for _ in 0..<150 { points.insert(Int.random(in: 0..<bytes.count, using: &generator)) }
        return points.filter { $0 >= 0 && $0 < bytes.count }.sorted()
    }

    @Test(arguments: inputs)
    func truncatedObjectsGiveTypedErrors(_ url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        var generator = SeededGenerator(state: UInt64(bytes.count))
        for cut in try Self.cutPoints(bytes, generator: &generator) {
            let error = Self.readAndLink(Array(bytes[..<cut]))
            // Every cut removes the section header table (it is at the end): it must fail.
            let failure = try #require(error, "cut at \(cut) of \(url.lastPathComponent) parsed")
            #expect(failure.offset >= 0 && failure.offset <= bytes.count, "\(failure)")
        }
    }

    @Test(arguments: inputs)
    func flippedBytesNeverCrash(_ url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        var generator = SeededGenerator(state: 0x5EED ^ UInt64(bytes.count))
        for _ in 0..<300 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0..<mutated.count, using: &generator)
                mutated[at] ^= UInt8.random(in: 1...255, using: &generator)
            }
            if let error = Self.readAndLink(mutated) {
                #expect(error.offset >= 0 && error.offset <= bytes.count, "\(error)")
            }
        }
    }

    @Test func hugeCountsDoNotAllocate() throws {
        // A section header table that claims 65535 sections of a 200-byte file.
        var bytes = try Fixtures.bytes("xdp_pass.bpf.o")
        bytes[60] = 0xff
        bytes[61] = 0xff
        let error = try #require(Self.readAndLink(bytes))
        guard case .truncated = error.kind else { Issue.record("\(error)"); return }
        #expect(error.description.contains("needs"))
    }

    @Test func errorsNameWhereTheyHappened() throws {
        var bytes = try Fixtures.bytes("tiny_lb.bpf.o")
        let elf = try ELFFile(bytes: bytes)
        let btf = try #require(elf.section(named: ".BTF"))
        // Break the BTF magic: the error names .BTF and its file offset.
        bytes[btf.offset] ^= 0xff
        bytes[btf.offset + 1] ^= 0xff
        let error = try #require(Self.readAndLink(bytes))
        #expect(error.context.contains(".BTF"))
        #expect(error.offset == btf.offset)
    }
}
