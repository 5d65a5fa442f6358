/// A canonical Huffman code of DEFLATE (RFC 1951 section 3.2.2), built from the code length
/// of each symbol and decoded one bit at a time.
///
/// In a canonical code, the codes of one length are consecutive integers given to the symbols
/// in increasing order, and the first code of each length follows the last code of the
/// previous length (shifted left by one). So the code is fully described by how many symbols
/// have each length (``countPerLength``) and the symbols sorted by (length, symbol)
/// (``symbolsInCodeOrder``).
struct HuffmanCode: Sendable {
    /// The longest code DEFLATE allows.
    static let maxLength = 15

    /// `countPerLength[n]` is the number of symbols whose code is `n` bits long (index 0 unused).
    let countPerLength: [Int]
    /// Symbols with a code, ordered by code length, then by symbol value.
    let symbolsInCodeOrder: [Int]
    /// True when the code lengths use up the whole code space (a Kraft sum of exactly 1).
    let isComplete: Bool

    /// How a code may leave part of the code space unused.
    enum Completeness {
        /// The code must be complete (the code-length code of a dynamic block).
        case required
        /// An incomplete code is accepted only when it is a single one-bit code, or has no
        /// codes at all (literal/length and distance codes, as zlib accepts them).
        case singleCodeAllowed
    }

    /// Builds the code for `lengths[symbol]` (0 = the symbol has no code).
    ///
    /// Throws when a length exceeds 15, when the lengths over-subscribe the code space (more
    /// codes than bit patterns), or when the code is incomplete and `completeness` forbids it.
    init(lengths: [UInt8], completeness: Completeness, what: String, reader: DeflateBitReader) throws(ParseError) {
        var counts = [Int](repeating: 0, count: Self.maxLength + 1)
        for length in lengths {
            guard Int(length) <= Self.maxLength else { throw reader.error("\(what): code length \(length) exceeds 15") }
            counts[Int(length)] += 1
        }
        counts[0] = 0
        // Kraft check: walk the lengths, doubling the free code space at each level.
        var unused = 1
        for length in 1...Self.maxLength {
            unused = unused * 2 - counts[length]
            guard unused >= 0 else { throw reader.error("\(what): code lengths are over-subscribed") }
        }
        let codeCount = counts.reduce(0, +)
        isComplete = unused == 0
        if !isComplete {
            switch completeness {
            case .required:
                throw reader.error("\(what): code lengths are incomplete")
            case .singleCodeAllowed:
                guard codeCount == 0 || (codeCount == 1 && counts[1] == 1) else {
                    throw reader.error("\(what): code lengths are incomplete")
                }
            }
        }
        var ordered: [Int] = []
        ordered.reserveCapacity(codeCount)
        for length in 1...Self.maxLength where counts[length] > 0 {
            for (symbol, symbolLength) in lengths.enumerated() where Int(symbolLength) == length {
                ordered.append(symbol)
            }
        }
        countPerLength = counts
        symbolsInCodeOrder = ordered
    }

    /// Reads one code from `reader` and returns its symbol. Throws on a bit pattern that is not
    /// a code (possible with an incomplete or empty code) and when the input ends.
    func decode(_ reader: inout DeflateBitReader, what: String) throws(ParseError) -> Int {
        var code = 0    // the bits read so far, first bit most significant
        var first = 0   // the first code of the current length
        var index = 0   // where the current length's symbols start in symbolsInCodeOrder
        for length in 1...Self.maxLength {
            code |= try reader.bit()
            let count = countPerLength[length]
            if code - first < count {
                return symbolsInCodeOrder[index + code - first]
            }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw reader.error("\(what): invalid Huffman code")
    }
}
