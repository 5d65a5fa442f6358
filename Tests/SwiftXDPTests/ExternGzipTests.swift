import Foundation
import Testing
@testable import SwiftXDP

/// The gzip/DEFLATE reader (used for /proc/config.gz) against data produced by `gzip` itself.
@Suite struct ExternGzipTests {
    typealias Support = ExternTestSupport

    // MARK: - Round trips with gzip

    static let levels = ["-1", "-6", "-9"]

    @Test(arguments: levels)
    func compressibleTextUsesDynamicBlocks(_ level: String) throws {
        let input = Support.text(lines: 3000)
        let compressed = try Support.run("gzip \(level) -c", input: input)
        let (output, members) = try Gzip.decompressMembers(compressed)
        #expect(output == input)
        #expect(members.count == 1)
        #expect(members[0].blocks.contains(.dynamic))
        #expect(members[0].uncompressedSize == input.count)
    }

    @Test(arguments: levels)
    func incompressibleDataUsesStoredBlocks(_ level: String) throws {
        let input = Support.noise(count: 150_000)
        let compressed = try Support.run("gzip \(level) -c", input: input)
        let (output, members) = try Gzip.decompressMembers(compressed)
        #expect(output == input)
        #expect(members[0].blocks.contains(.stored))
    }

    @Test(arguments: levels)
    func mixedInputDecodesEveryBlock(_ level: String) throws {
        let input = Support.text(lines: 2000) + Support.noise(count: 70_000) + Support.text(lines: 500)
            + [UInt8](repeating: 0x41, count: 100_000)
        let compressed = try Support.run("gzip \(level) -c", input: input)
        let (output, members) = try Gzip.decompressMembers(compressed)
        #expect(output == input)
        #expect(members[0].blocks.count > 1)
    }

    @Test(arguments: [[UInt8](), Array("a".utf8), Array("ab".utf8), Array("hello, xdp\n".utf8), [0, 0, 0, 0]])
    func tinyInputsUseFixedBlocks(_ input: [UInt8]) throws {
        for level in Self.levels {
            let compressed = try Support.run("gzip \(level) -c", input: input)
            let (output, members) = try Gzip.decompressMembers(compressed)
            #expect(output == input)
            #expect(members[0].blocks == [.fixed], "gzip \(level) of \(input.count) bytes")
        }
    }

    @Test func longRunsUseOverlappingMatches() throws {
        // A run of one byte compresses to matches whose distance (1) is shorter than their length.
        let input = [UInt8](repeating: 0x7a, count: 300_000) + Array("end".utf8)
        let compressed = try Support.run("gzip -9 -c", input: input)
        #expect(compressed.count < 2_000)
        #expect(try Gzip.decompress(compressed) == input)
    }

    @Test func headerFieldsAreRead() throws {
        // `gzip -c FILE` records the file name (FNAME) and its modification time.
        let input = Support.text(lines: 10)
        let compressed = try Support.run("gzip -9 -c \"$IN\"", input: input)
        let (output, members) = try Gzip.decompressMembers(compressed)
        #expect(output == input)
        #expect(members[0].fileName == "input.txt")
        #expect(members[0].modificationTime != 0)
    }

    @Test func concatenatedMembersAreJoined() throws {
        let first = Support.text(lines: 50)
        let second = Support.noise(count: 1000)
        let compressed = try Support.run("gzip -1 -c", input: first) + Support.run("gzip -9 -c", input: second)
        let (output, members) = try Gzip.decompressMembers(compressed)
        #expect(output == first + second)
        #expect(members.count == 2)
        #expect(try Support.run("zcat", input: compressed) == output)
    }

    @Test func headerCRCAndExtraFieldsAreChecked() throws {
        // gzip never writes FHCRC/FEXTRA/FCOMMENT; build such a header around gzip's stream.
        let input = Array("kconfig\n".utf8)
        let plain = try Support.run("gzip -n -c", input: input)
        let stream = Array(plain[10...])
        var header: [UInt8] = [0x1f, 0x8b, 8, 0x02 | 0x04 | 0x10, 0, 0, 0, 0, 0, 3]
        header += [3, 0, 0xaa, 0xbb, 0xcc]               // FEXTRA: XLEN 3 + 3 bytes
        header += Array("a comment".utf8) + [0]          // FCOMMENT
        let crc = CRC32.checksum(header)
        let good = header + [UInt8(crc & 0xff), UInt8(crc >> 8 & 0xff)] + stream
        let (output, members) = try Gzip.decompressMembers(good)
        #expect(output == input)
        #expect(members[0].comment == "a comment")
        #expect(try Support.run("zcat", input: good) == input)

        let bad = header + [UInt8(crc & 0xff) ^ 1, UInt8(crc >> 8 & 0xff)] + stream
        let error = #expect(throws: ParseError.self) { try Gzip.decompress(bad) }
        #expect(error?.description.contains("header CRC16") == true)
        #expect(error?.offset == header.count)
    }

    @Test func crc32MatchesKnownValues() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        var split = CRC32()
        split.update(Array("1234".utf8))
        split.update(Array("56789".utf8))
        #expect(split.value == 0xCBF4_3926)
    }

    // MARK: - /proc/config.gz

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/proc/config.gz")))
    func procConfigMatchesZcat() throws {
        let compressed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "/proc/config.gz")))
        let ours = try Gzip.decompress(compressed)
        let reference = try Support.run("zcat /proc/config.gz")
        #expect(ours == reference)
        #expect(ours.count > 10_000)
    }

    // MARK: - Malformed input

    @Test func emptyAndForeignInputAreRejected() throws {
        #expect(throws: ParseError.self) { try Gzip.decompress([]) }
        let notGzip = #expect(throws: ParseError.self) { try Gzip.decompress(Array("CONFIG_X=y\n".utf8)) }
        #expect(notGzip?.kind == .badMagic)
        let method = #expect(throws: ParseError.self) { try Gzip.decompress([0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 3, 3, 0]) }
        #expect(method?.offset == 2)
        let reserved = #expect(throws: ParseError.self) { try Gzip.decompress([0x1f, 0x8b, 8, 0x20, 0, 0, 0, 0, 0, 3, 3, 0]) }
        #expect(reserved?.offset == 3)
    }

    @Test func everyTruncationIsATypedError() throws {
        let compressed = try Support.run("gzip -9 -c \"$IN\"", input: Support.text(lines: 40))
        for length in 0..<compressed.count {
            #expect(throws: ParseError.self, "prefix of \(length) bytes") {
                try Gzip.decompress(Array(compressed[..<length]))
            }
        }
    }

    @Test func everyByteFlipIsDetectedOrHarmless() throws {
        let input = Support.text(lines: 30) + Support.noise(count: 300)
        let compressed = try Support.run("gzip -9 -c", input: input)
        var detected = 0
        for index in compressed.indices {
            for mask: UInt8 in [0x01, 0x10, 0x80, 0xff] {
                var corrupted = compressed
                corrupted[index] ^= mask
                do {
                    let output = try Gzip.decompress(corrupted)
                    // Only what does not affect the data may change: the FTEXT hint, MTIME, XFL,
                    // OS, and the padding bits after the last block.
                    #expect(output == input, "flip \(mask) at \(index) gave different data")
                    #expect((3..<10).contains(index) || index == compressed.count - 9,
                            "flip \(mask) at \(index) went unnoticed")
                } catch {
                    detected += 1
                }
            }
        }
        #expect(detected > compressed.count * 3)
    }

    @Test func checksumAndLengthMismatchesAreReported() throws {
        let input = Support.text(lines: 20)
        let compressed = try Support.run("gzip -6 -c", input: input)
        var badCRC = compressed
        badCRC[compressed.count - 8] ^= 0x40
        let crcError = #expect(throws: ParseError.self) { try Gzip.decompress(badCRC) }
        #expect(crcError?.description.contains("CRC-32") == true)
        #expect(crcError?.offset == compressed.count - 8)

        var badSize = compressed
        badSize[compressed.count - 4] ^= 0x01
        let sizeError = #expect(throws: ParseError.self) { try Gzip.decompress(badSize) }
        #expect(sizeError?.offset == compressed.count - 4)

        let trailing = #expect(throws: ParseError.self) { try Gzip.decompress(compressed + [0, 0, 0]) }
        #expect(trailing?.offset == compressed.count)
    }

    @Test func outputLimitStopsDecompressionBombs() throws {
        let compressed = try Support.run("gzip -9 -c", input: [UInt8](repeating: 0, count: 1 << 20))
        #expect(compressed.count < 2_000)
        let error = #expect(throws: ParseError.self) { try Gzip.decompress(compressed, limit: 4096) }
        #expect(error?.description.contains("limit of 4096 bytes") == true)
        #expect(try Gzip.decompress(compressed, limit: 1 << 20).count == 1 << 20)
    }
}
