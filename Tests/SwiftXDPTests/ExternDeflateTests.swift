import Testing
@testable import SwiftXDP

/// Hand-built DEFLATE streams: each malformation the decoder must reject with a typed error.
@Suite struct ExternDeflateTests {
    /// Writes DEFLATE bit fields (least significant bit first) and Huffman codes (most
    /// significant bit first).
    struct BitWriter {
        var bytes: [UInt8] = []
        var bitCount = 0

        mutating func bits(_ value: Int, _ count: Int) {
            for index in 0..<count { bit((value >> index) & 1) }
        }

        mutating func code(_ value: Int, _ length: Int) {
            for index in stride(from: length - 1, through: 0, by: -1) { bit((value >> index) & 1) }
        }

        mutating func bit(_ value: Int) {
            if bitCount % 8 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8(value) << UInt8(bitCount % 8)
            bitCount += 1
        }

        /// A fixed-code literal (RFC 1951 3.2.6).
        mutating func fixedLiteral(_ byte: UInt8) {
            if byte < 144 { code(0x30 + Int(byte), 8) } else { code(0x190 + Int(byte) - 144, 9) }
        }
        /// A fixed-code length symbol 256...279 (7 bits) — 256 ends the block.
        mutating func fixedSymbol7(_ symbol: Int) { code(symbol - 256, 7) }
    }

    func decode(_ writer: BitWriter, limit: Int = Deflate.defaultLimit) throws(ParseError) -> Deflate.Output {
        try Deflate.decompress(writer.bytes[...], limit: limit)
    }

    @Test func handBuiltFixedBlockWithAMatch() throws {
        var writer = BitWriter()
        writer.bits(1, 1)            // BFINAL
        writer.bits(1, 2)            // BTYPE 01: fixed
        writer.fixedLiteral(UInt8(ascii: "a"))
        writer.fixedLiteral(UInt8(ascii: "b"))
        writer.fixedSymbol7(258)     // length 4
        writer.code(1, 5)            // distance code 1: distance 2
        writer.fixedSymbol7(256)
        let output = try decode(writer)
        #expect(output.bytes == Array("ababab".utf8))
        #expect(output.blocks == [.fixed])
        #expect(output.consumed == writer.bytes.count)
    }

    @Test func storedBlockThenFixedBlock() throws {
        var writer = BitWriter()
        writer.bits(0, 1)
        writer.bits(0, 2)            // stored
        writer.bytes += [3, 0, 0xfc, 0xff] + Array("xdp".utf8)
        writer.bitCount = writer.bytes.count * 8
        writer.bits(1, 1)
        writer.bits(1, 2)
        writer.fixedLiteral(UInt8(ascii: "!"))
        writer.fixedSymbol7(256)
        let output = try decode(writer + [0xde, 0xad])
        #expect(output.bytes == Array("xdp!".utf8))
        #expect(output.blocks == [.stored, .fixed])
        #expect(output.consumed == writer.bytes.count)
    }

    @Test func reservedBlockTypeIsRejected() {
        var writer = BitWriter()
        writer.bits(1, 1)
        writer.bits(3, 2)
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("reserved block type") == true)
    }

    @Test func storedLengthMustMatchItsComplement() {
        var writer = BitWriter()
        writer.bits(1, 1)
        writer.bits(0, 2)
        writer.bytes += [3, 0, 0xfc, 0xfe] + Array("xdp".utf8)
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("NLEN") == true)
    }

    @Test func storedBlockLongerThanTheInputIsTruncated() {
        var writer = BitWriter()
        writer.bits(1, 1)
        writer.bits(0, 2)
        writer.bytes += [0xff, 0xff, 0, 0] + [1, 2, 3]
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.kind == .truncated(needed: 65535, available: 3))
    }

    @Test func distanceBeforeTheStartIsRejected() {
        var writer = BitWriter()
        writer.bits(1, 1)
        writer.bits(1, 2)
        writer.fixedLiteral(UInt8(ascii: "a"))
        writer.fixedSymbol7(257)     // length 3
        writer.code(1, 5)            // distance 2, but only 1 byte so far
        writer.fixedSymbol7(256)
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("distance 2 reaches before the start") == true)
    }

    @Test func invalidFixedSymbolsAreRejected() {
        var lengthWriter = BitWriter()
        lengthWriter.bits(1, 1)
        lengthWriter.bits(1, 2)
        lengthWriter.code(0xc6, 8)   // literal/length symbol 286 (280 + 6): never valid
        #expect(throws: ParseError.self) { try decode(lengthWriter) }

        var distanceWriter = BitWriter()
        distanceWriter.bits(1, 1)
        distanceWriter.bits(1, 2)
        distanceWriter.fixedLiteral(0)
        distanceWriter.fixedSymbol7(257)
        distanceWriter.code(30, 5)   // distance symbol 30: never valid
        let error = #expect(throws: ParseError.self) { try decode(distanceWriter) }
        #expect(error?.description.contains("invalid distance symbol 30") == true)
    }

    @Test func missingEndOfBlockRunsOutOfInput() {
        var writer = BitWriter()
        writer.bits(1, 1)
        writer.bits(1, 2)
        writer.fixedLiteral(UInt8(ascii: "a"))
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        guard case .truncated? = error?.kind else {
            Issue.record("expected truncation, got \(String(describing: error))")
            return
        }
    }

    /// A dynamic block header: HLIT, HDIST, then code-length code lengths for `codeLengths`
    /// (symbol → length), in the transmission order.
    func dynamicHeader(literals: Int = 257, distances: Int = 1, codeLengths: [Int: Int]) -> BitWriter {
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let count = max(4, (order.lastIndex { codeLengths[$0] != nil } ?? 0) + 1)
        var writer = BitWriter()
        writer.bits(1, 1)
        writer.bits(2, 2)
        writer.bits(literals - 257, 5)
        writer.bits(distances - 1, 5)
        writer.bits(count - 4, 4)
        for symbol in order.prefix(count) { writer.bits(codeLengths[symbol] ?? 0, 3) }
        return writer
    }

    @Test func tooManyLiteralCodesAreRejected() {
        let writer = dynamicHeader(literals: 287, codeLengths: [1: 1, 18: 1])
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("HLIT") == true)
    }

    @Test func overSubscribedCodeLengthCodeIsRejected() {
        let writer = dynamicHeader(codeLengths: [0: 1, 1: 1, 18: 1])
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("over-subscribed") == true)
    }

    @Test func incompleteCodeLengthCodeIsRejected() {
        let writer = dynamicHeader(codeLengths: [18: 1])
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("incomplete") == true)
    }

    @Test func repeatWithoutAPreviousLengthIsRejected() {
        // Code-length code: symbols 1 and 16, one bit each (1 → code 0, 16 → code 1).
        var writer = dynamicHeader(codeLengths: [1: 1, 16: 1])
        writer.code(1, 1)
        writer.bits(0, 2)
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("no previous length") == true)
    }

    @Test func repeatPastTheLastLengthIsRejected() {
        // Symbols 1 (code 0) and 18 (code 1): a run of 138 zeros, twice, exceeds 258 lengths.
        var writer = dynamicHeader(codeLengths: [1: 1, 18: 1])
        writer.code(0, 1)
        for _ in 0..<2 {
            writer.code(1, 1)
            writer.bits(127, 7)
        }
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("runs past") == true)
    }

    @Test func missingEndOfBlockCodeIsRejected() {
        // Lengths: literal 0 gets 1 bit, the other 257 (including 256, end of block) none.
        var writer = dynamicHeader(codeLengths: [1: 1, 18: 1])
        writer.code(0, 1)            // length 1 for symbol 0
        writer.code(1, 1)
        writer.bits(127, 7)          // 138 zeros
        writer.code(1, 1)
        writer.bits(108, 7)          // 119 zeros: 258 lengths in all
        let error = #expect(throws: ParseError.self) { try decode(writer) }
        #expect(error?.description.contains("no end-of-block code") == true)
    }

    @Test func outputLimitIsEnforced() throws {
        var writer = BitWriter()
        writer.bits(1, 1)
        writer.bits(1, 2)
        writer.fixedLiteral(0)
        for _ in 0..<10 {
            writer.code(0xc5, 8)     // symbol 285: length 258
            writer.code(0, 5)        // distance 1
        }
        writer.fixedSymbol7(256)
        #expect(try decode(writer).bytes.count == 2581)
        let error = #expect(throws: ParseError.self) { try decode(writer, limit: 1000) }
        #expect(error?.description.contains("limit of 1000 bytes") == true)
    }
}

extension ExternDeflateTests.BitWriter {
    static func + (writer: Self, extra: [UInt8]) -> Self {
        var copy = writer
        copy.bytes += extra
        copy.bitCount = copy.bytes.count * 8
        return copy
    }
}
