/// Reads the bit stream of DEFLATE data (RFC 1951 section 3.1.1): bits are taken from each
/// byte starting at its least significant bit, and multi-bit fields are stored least
/// significant bit first. Huffman codes are read one bit at a time by ``HuffmanCode``.
///
/// Every read is bounds-checked: running out of input throws ``ParseError`` (`.truncated`)
/// with the byte offset in the whole input.
struct DeflateBitReader {
    /// The compressed bytes.
    let bytes: ArraySlice<UInt8>
    /// Offset of `bytes.startIndex` in the enclosing input (gzip file), for errors.
    let base: Int
    /// What is being read, for errors (updated per block by the decoder).
    var context: String
    /// Index (into `bytes`) of the next byte not yet moved into `buffer`.
    private(set) var next: Int
    /// Bits read from the input but not consumed yet, the oldest in bit 0.
    private var buffer: UInt32 = 0
    /// How many bits `buffer` holds (always < 8 between reads, see ``bits(_:)``).
    private var count = 0

    init(_ bytes: ArraySlice<UInt8>, base: Int, context: String) {
        self.bytes = bytes
        self.base = base
        self.context = context
        next = bytes.startIndex
    }

    /// Bytes consumed so far, counting a partly read byte as consumed.
    var consumed: Int { next - bytes.startIndex }

    /// Reads an `n`-bit field (0 ≤ n ≤ 16), least significant bit first.
    mutating func bits(_ n: Int) throws(ParseError) -> Int {
        while count < n {
            guard next < bytes.endIndex else {
                throw ParseError(.truncated(needed: 1, available: 0), context: context, offset: base + consumed)
            }
            buffer |= UInt32(bytes[next]) << UInt32(count)
            next += 1
            count += 8
        }
        let value = buffer & ((1 << UInt32(n)) - 1)
        buffer >>= UInt32(n)
        count -= n
        return Int(value)
    }

    /// Reads one bit.
    mutating func bit() throws(ParseError) -> Int { try bits(1) }

    /// Drops the rest of the current byte (before a stored block's LEN field).
    mutating func alignToByte() {
        buffer = 0
        count = 0
    }

    /// Takes `length` whole bytes from the input; the reader must be byte-aligned.
    mutating func bytes(_ length: Int) throws(ParseError) -> ArraySlice<UInt8> {
        guard length >= 0, length <= bytes.endIndex - next else {
            throw ParseError(.truncated(needed: length, available: bytes.endIndex - next),
                             context: context, offset: base + consumed)
        }
        defer { next += length }
        return bytes[next..<(next + length)]
    }

    /// An `.invalid` error at the byte holding the last bit read.
    func error(_ message: String) -> ParseError {
        ParseError(.invalid(message), context: context, offset: base + max(consumed - 1, 0))
    }
}
