/// Addresses of kernel symbols from `/proc/kallsyms`, for typeless `__ksym` externs
/// (`extern const void _text __ksym;`), as libbpf reads them (`libbpf_kallsyms_parse`).
///
/// Each line is `address type name [module]`, e.g. `ffffffff81000000 T _text`. Only the
/// names asked for are kept, so the 5 MB file is never turned into 200 000 strings.
public enum KernelSymbols {
    /// The default path.
    public static let path = "/proc/kallsyms"

    /// Reads the addresses of `names` from `/proc/kallsyms` (or `path`). Names it does not
    /// list are absent from the result.
    ///
    /// Throws when the file cannot be read, when a name is listed at two different
    /// addresses, and when every address in the file is 0 (addresses hidden from this user).
    public static func load(names: Set<String>, path: String = KernelSymbols.path) throws(KernelFileError) -> [String: UInt64] {
        guard !names.isEmpty else { return [:] }
        var scanner = KallsymsScanner(names: names, path: path)
        try KernelFiles.forEachChunk(path) { (chunk: ArraySlice<UInt8>) throws(KernelFileError) in
            try scanner.feed(chunk)
        }
        return try scanner.finish()
    }

    /// Parses kallsyms text already in memory (see ``load(names:path:)``).
    public static func parse(_ text: [UInt8], names: Set<String>, path: String = "kallsyms") throws(KernelFileError) -> [String: UInt64] {
        var scanner = KallsymsScanner(names: names, path: path)
        try scanner.feed(text[...])
        return try scanner.finish()
    }
}

/// Line-by-line kallsyms parser fed with arbitrary chunks (a line may span two chunks).
struct KallsymsScanner {
    /// The file being read, for errors.
    let path: String
    /// The wanted names, as bytes.
    private let wanted: Set<[UInt8]>
    /// The lengths of the wanted names, to skip most lines without allocating.
    private let wantedLengths: Set<Int>
    /// A line cut by the end of the previous chunk.
    private var partial: [UInt8] = []
    /// True once any line had a non-zero address.
    private var sawAddress = false
    /// True once any line was read.
    private var sawLine = false
    /// Results so far.
    private(set) var found: [String: UInt64] = [:]
    /// The first ambiguity met, reported by ``finish()``.
    private var ambiguity: (name: String, first: UInt64, second: UInt64)?

    init(names: Set<String>, path: String) {
        self.path = path
        wanted = Set(names.map { Array($0.utf8) })
        wantedLengths = Set(names.map { $0.utf8.count })
    }

    /// Consumes a chunk of the file.
    mutating func feed(_ chunk: ArraySlice<UInt8>) throws(KernelFileError) {
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if partial.isEmpty {
                scanLine(chunk[start..<newline])
            } else {
                partial += chunk[start..<newline]
                let line = partial
                partial = []
                scanLine(line[...])
            }
            start = newline + 1
        }
        partial += chunk[start...]
        guard partial.count <= 4096 else {
            throw .malformed(path: path, ParseError(.invalid("a line longer than 4096 bytes"),
                                                    context: "kallsyms", offset: 0))
        }
    }

    /// Finishes the scan (a last line without newline counts) and returns the addresses.
    mutating func finish() throws(KernelFileError) -> [String: UInt64] {
        if !partial.isEmpty {
            let line = partial
            partial = []
            scanLine(line[...])
        }
        if let ambiguity {
            throw .ambiguousSymbol(name: ambiguity.name, first: ambiguity.first, second: ambiguity.second)
        }
        if sawLine, !sawAddress { throw .addressesHidden(path: path) }
        return found
    }

    /// `address type name[\t[module]]`: the address is hex, the type one letter, the name
    /// ends at a space or tab. Lines that do not have this shape are skipped, as libbpf does.
    /// Fields are found in place: most lines are dismissed without allocating.
    private mutating func scanLine(_ line: ArraySlice<UInt8>) {
        let space = UInt8(ascii: " ")
        guard let addressEnd = line.firstIndex(of: space), addressEnd > line.startIndex,
              addressEnd + 3 < line.endIndex, line[addressEnd + 2] == space else { return }
        let addressField = line[line.startIndex..<addressEnd]
        let type = line[addressEnd + 1]
        let nameStart = addressEnd + 3
        let nameEnd = line[nameStart...].firstIndex { $0 == space || $0 == UInt8(ascii: "\t") } ?? line.endIndex
        var name = line[nameStart..<nameEnd]
        guard !name.isEmpty, let address = Self.hex(addressField) else { return }
        sawLine = true
        if address != 0 { sawAddress = true }
        // Data symbols of LTO builds carry a `.llvm.<hash>` suffix (libbpf strips it for 'd').
        if type == UInt8(ascii: "d"), let suffix = Self.llvmSuffix(in: name) {
            name = name[..<suffix]
        }
        guard wantedLengths.contains(name.count), wanted.contains(Array(name)) else { return }
        let key = String(decoding: name, as: UTF8.self)
        if let previous = found[key] {
            if previous != address, ambiguity == nil { ambiguity = (key, previous, address) }
        } else {
            found[key] = address
        }
    }

    /// Where `.llvm.` starts in `name`, if it does.
    private static func llvmSuffix(in name: ArraySlice<UInt8>) -> Int? {
        let marker = Array(".llvm.".utf8)
        guard name.count > marker.count else { return nil }
        var index = name.startIndex
        while index + marker.count <= name.endIndex {
            if name[index..<(index + marker.count)].elementsEqual(marker) { return index }
            index += 1
        }
        return nil
    }

    /// Parses up to 16 hex digits.
    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }
}
