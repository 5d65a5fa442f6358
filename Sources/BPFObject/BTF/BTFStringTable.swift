/// The string section of a BTF blob: NUL-terminated names addressed by byte offset.
///
/// Mirrors the `str_off`/`str_len` area described by `struct btf_header`. As the kernel
/// requires, it starts with an empty string (offset 0 is the empty name) and ends with a NUL,
/// so every offset inside it names a terminated string.
public struct BTFStringTable: Sendable, Equatable {
    /// The raw bytes of the section.
    public var bytes: [UInt8] { Array(storage) }
    /// The bytes, as a slice of the blob the table was read from: a kernel's string section
    /// is megabytes, and copying it was a sixth of parsing the kernel's BTF.
    private(set) var storage: ArraySlice<UInt8>

    /// A table holding only the empty string.
    public init() { storage = Self.emptyStorage }

    /// The bytes of the table holding only the empty string, shared by every such table (a
    /// ``LinkedProgram`` starts with one: allocating it each time cost an allocation per link).
    private static let emptyStorage: ArraySlice<UInt8> = [0]

    /// Wraps `bytes`, checking that it is non-empty, starts with a NUL and ends with a NUL.
    /// `base` is the offset reported in errors.
    public init(bytes: ArraySlice<UInt8>, context: @autoclosure () -> String, base: Int) throws(ParseError) {
        guard let first = bytes.first, let last = bytes.last else {
            throw ParseError(.invalid("string section is empty"), context: context(), offset: base)
        }
        guard first == 0 else {
            throw ParseError(.invalid("string section does not start with an empty string"),
                             context: context(), offset: base)
        }
        guard last == 0 else {
            throw ParseError(.invalid("string section does not end with a NUL"),
                             context: context(), offset: base + bytes.count - 1)
        }
        storage = bytes
    }

    /// The section length in bytes (`str_len`).
    public var count: Int { storage.count }

    /// True when `offset` falls inside the table, so ``string(at:)`` returns a string.
    @inline(__always)
    public func contains(offset: UInt32) -> Bool { Int(offset) < storage.count }

    /// The string at `offset`, or `nil` when the offset is outside the table.
    public func string(at offset: UInt32) -> String? {
        guard contains(offset: offset) else { return nil }
        return storage.withUnsafeBufferPointer { buffer in
            let start = Int(offset)
            let end = buffer.firstNUL(from: start) ?? buffer.count  // the table ends with a NUL
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        }
    }

    /// The string at `offset`, or `""` when the offset is outside the table.
    public subscript(offset: UInt32) -> String { string(at: offset) ?? "" }

    /// True when the string at `offset` equals `utf8` byte for byte (no `String` is created).
    public func matches(offset: UInt32, _ utf8: [UInt8]) -> Bool {
        let start = Int(offset)
        guard start < storage.count, storage.count - start > utf8.count else { return false }
        return storage.withUnsafeBufferPointer { buffer in
            for (i, byte) in utf8.enumerated() where buffer[start + i] != byte { return false }
            return buffer[start + utf8.count] == 0
        }
    }

    /// True when the string at `offset` equals the UTF-8 bytes `utf8` (no `String` is created).
    public func matches(offset: UInt32, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offset)
        guard start < storage.count, storage.count - start > utf8.count else { return false }
        return storage.withUnsafeBufferPointer { buffer in
            for i in 0..<utf8.count where buffer[start + i] != utf8[i] { return false }
            return buffer[start + utf8.count] == 0
        }
    }

    /// True when the string at `offset` equals `literal` (no `String` is created).
    public func matches(offset: UInt32, _ literal: StaticString) -> Bool {
        matches(offset: offset, UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Calls `body` with the bytes of the string at `offset` (without its NUL; empty when the
    /// offset is outside the table), so callers can compare names without building a `String`.
    public func withUTF8<Result>(at offset: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        storage.withUnsafeBufferPointer { buffer in
            let start = Int(offset)
            guard start < buffer.count else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            let end = buffer.firstNUL(from: start) ?? buffer.count  // the table ends with a NUL
            return body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    /// The offset of the first occurrence of `string` as a whole entry, if any.
    public func offset(of string: String) -> UInt32? {
        let utf8 = Array(string.utf8)
        if utf8.isEmpty { return 0 }
        var start = 1
        while start < storage.count {
            if matches(offset: UInt32(start), utf8) { return UInt32(start) }
            guard let end = storage[(storage.startIndex + start)...].firstIndex(of: 0) else { return nil }
            start = end - storage.startIndex + 1
        }
        return nil
    }

    /// Returns the offset of `string`, appending it (NUL-terminated) if it is not present yet.
    public mutating func add(_ string: String) -> UInt32 {
        if let existing = offset(of: string) { return existing }
        let offset = UInt32(storage.count)
        storage.append(contentsOf: string.utf8)
        storage.append(0)
        return offset
    }
}
