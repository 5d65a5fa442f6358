/// A DEFLATE decompressor (RFC 1951), written for the few small gzip files the loader reads
/// (`/proc/config.gz`): simple rather than fast, and strict.
///
/// Every malformed input is a ``ParseError`` with the byte offset in the whole input: a
/// reserved block type, a stored block whose `LEN`/`NLEN` disagree, over-subscribed or
/// incomplete Huffman codes, a missing end-of-block code, invalid length or distance symbols,
/// a distance reaching before the start of the output, running out of input, or output
/// growing beyond a caller-given limit (so no input can make it allocate without bound).
public enum Deflate {
    /// The three kinds of DEFLATE block (`BTYPE`).
    public enum BlockKind: String, Sendable, Equatable {
        /// `BTYPE` 00: bytes stored without compression.
        case stored
        /// `BTYPE` 01: compressed with the fixed Huffman codes of RFC 1951 section 3.2.6.
        case fixed
        /// `BTYPE` 10: compressed with Huffman codes sent at the start of the block.
        case dynamic
    }

    /// The result of decompressing one DEFLATE stream.
    public struct Output: Sendable, Equatable {
        /// The decompressed bytes.
        public var bytes: [UInt8]
        /// How many input bytes the stream took, up to and including its last byte (the rest
        /// of that byte's bits are padding).
        public var consumed: Int
        /// The kind of each block, in order.
        public var blocks: [BlockKind]
    }

    /// The default output limit: 64 MiB, far above any kernel config.
    public static let defaultLimit = 64 << 20

    /// Decompresses the DEFLATE stream at the start of `input`; bytes after its final block
    /// are left alone (see ``Output/consumed``). `base` is the offset of `input` in the
    /// enclosing file, added to error offsets. Output beyond `limit` bytes is an error.
    public static func decompress(_ input: ArraySlice<UInt8>, limit: Int = defaultLimit,
                                  base: Int = 0) throws(ParseError) -> Output {
        var reader = DeflateBitReader(input, base: base, context: "deflate block 0")
        var output: [UInt8] = []
        var blocks: [BlockKind] = []
        var isFinal = false
        while !isFinal {
            reader.context = "deflate block \(blocks.count)"
            isFinal = try reader.bit() == 1
            switch try reader.bits(2) {
            case 0:
                blocks.append(.stored)
                try copyStoredBlock(&reader, into: &output, limit: limit)
            case 1:
                blocks.append(.fixed)
                try inflateBlock(&reader, codes: try FixedCodes.make(reader), into: &output, limit: limit)
            case 2:
                blocks.append(.dynamic)
                let codes = try readDynamicCodes(&reader)
                try inflateBlock(&reader, codes: codes, into: &output, limit: limit)
            default:
                throw reader.error("reserved block type 3")
            }
        }
        return Output(bytes: output, consumed: reader.consumed, blocks: blocks)
    }

    // MARK: - Stored blocks (RFC 1951 section 3.2.4)

    private static func copyStoredBlock(_ reader: inout DeflateBitReader, into output: inout [UInt8],
                                        limit: Int) throws(ParseError) {
        reader.alignToByte()
        let header = try reader.bytes(4)
        let length = Int(header[header.startIndex]) | Int(header[header.startIndex + 1]) << 8
        let complement = Int(header[header.startIndex + 2]) | Int(header[header.startIndex + 3]) << 8
        guard length == complement ^ 0xffff else {
            throw reader.error("stored block LEN \(length) does not match NLEN \(complement)")
        }
        try checkLimit(output.count + length, limit, reader)
        output += try reader.bytes(length)
    }

    // MARK: - Huffman blocks (RFC 1951 sections 3.2.5 to 3.2.7)

    /// The literal/length and distance codes of one block.
    struct Codes {
        var literalLength: HuffmanCode
        var distance: HuffmanCode
    }

    /// Length symbols 257...285: base length and extra bits (RFC 1951 section 3.2.5).
    /// Symbols 257-264 have no extra bits, then every 4 symbols add one, up to 5; 285 is 258.
    private static let lengthTable: [(base: Int, extra: Int)] = {
        var table: [(Int, Int)] = []
        var base = 3
        for index in 0..<28 {
            let extra = max(0, index / 4 - 1)
            table.append((base, extra))
            base += 1 << extra
        }
        table.append((258, 0))
        return table
    }()

    /// Distance symbols 0...29: base distance and extra bits. Symbols 0-3 have no extra bits,
    /// then every 2 symbols add one, up to 13.
    private static let distanceTable: [(base: Int, extra: Int)] = {
        var table: [(Int, Int)] = []
        var base = 1
        for index in 0..<30 {
            let extra = max(0, index / 2 - 1)
            table.append((base, extra))
            base += 1 << extra
        }
        return table
    }()

    private static func inflateBlock(_ reader: inout DeflateBitReader, codes: Codes, into output: inout [UInt8],
                                     limit: Int) throws(ParseError) {
        while true {
            let symbol = try codes.literalLength.decode(&reader, what: "literal/length code")
            if symbol < 256 {
                try checkLimit(output.count + 1, limit, reader)
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            guard symbol <= 285 else { throw reader.error("invalid length symbol \(symbol)") }
            let (lengthBase, lengthExtra) = lengthTable[symbol - 257]
            let length = lengthBase + (try reader.bits(lengthExtra))
            let distanceSymbol = try codes.distance.decode(&reader, what: "distance code")
            guard distanceSymbol < 30 else { throw reader.error("invalid distance symbol \(distanceSymbol)") }
            let (distanceBase, distanceExtra) = distanceTable[distanceSymbol]
            let distance = distanceBase + (try reader.bits(distanceExtra))
            guard distance <= output.count else {
                throw reader.error("distance \(distance) reaches before the start of the output (\(output.count) bytes)")
            }
            try checkLimit(output.count + length, limit, reader)
            var from = output.count - distance
            for _ in 0..<length {
                output.append(output[from])
                from += 1
            }
        }
    }

    /// The fixed codes of RFC 1951 section 3.2.6: literal/length symbols 0-143 have 8-bit
    /// codes, 144-255 9-bit, 256-279 7-bit, 280-287 8-bit; the 32 distance codes are 5-bit.
    private enum FixedCodes {
        static let literalLengths: [UInt8] = (0..<288).map { symbol in
            switch symbol {
            case 0...143: 8
            case 144...255: 9
            case 256...279: 7
            default: 8
            }
        }
        static let distanceLengths = [UInt8](repeating: 5, count: 32)

        static func make(_ reader: DeflateBitReader) throws(ParseError) -> Codes {
            Codes(literalLength: try HuffmanCode(lengths: literalLengths, completeness: .required,
                                                 what: "fixed literal/length code", reader: reader),
                  distance: try HuffmanCode(lengths: distanceLengths, completeness: .required,
                                            what: "fixed distance code", reader: reader))
        }
    }

    /// The order in which a dynamic block sends the code lengths of the code-length alphabet.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Reads the header of a dynamic block (RFC 1951 section 3.2.7): HLIT, HDIST, HCLEN, the
    /// code-length code, then the run-length coded lengths of both codes.
    private static func readDynamicCodes(_ reader: inout DeflateBitReader) throws(ParseError) -> Codes {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286 else { throw reader.error("HLIT gives \(literalCount) literal/length codes (at most 286)") }
        guard distanceCount <= 30 else { throw reader.error("HDIST gives \(distanceCount) distance codes (at most 30)") }

        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengthLengths[codeLengthOrder[index]] = UInt8(try reader.bits(3))
        }
        let codeLengthCode = try HuffmanCode(lengths: codeLengthLengths, completeness: .required,
                                             what: "code-length code", reader: reader)

        let total = literalCount + distanceCount
        var lengths: [UInt8] = []
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try codeLengthCode.decode(&reader, what: "code-length code")
            let value: UInt8
            let repeats: Int
            switch symbol {
            case 0...15:
                value = UInt8(symbol)
                repeats = 1
            case 16:
                guard let previous = lengths.last else { throw reader.error("code length repeat with no previous length") }
                value = previous
                repeats = 3 + (try reader.bits(2))
            case 17:
                value = 0
                repeats = 3 + (try reader.bits(3))
            default:
                value = 0
                repeats = 11 + (try reader.bits(7))
            }
            guard lengths.count + repeats <= total else {
                throw reader.error("code length repeat runs past the \(total) lengths")
            }
            lengths += repeatElement(value, count: repeats)
        }
        let literalLengths = Array(lengths[..<literalCount])
        guard literalLengths[256] != 0 else { throw reader.error("the block has no end-of-block code") }
        return Codes(
            literalLength: try HuffmanCode(lengths: literalLengths, completeness: .singleCodeAllowed,
                                           what: "literal/length code", reader: reader),
            distance: try HuffmanCode(lengths: Array(lengths[literalCount...]), completeness: .singleCodeAllowed,
                                      what: "distance code", reader: reader))
    }

    private static func checkLimit(_ size: Int, _ limit: Int, _ reader: DeflateBitReader) throws(ParseError) {
        guard size <= limit else {
            throw reader.error("decompressed data exceeds the limit of \(limit) bytes")
        }
    }
}
