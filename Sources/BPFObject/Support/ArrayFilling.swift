/// Writes up to a known number of elements straight into an array's storage: see
/// ``Swift/Array/init(capacity:filledBy:)``.
protocol ArrayFiller {
    associatedtype Element
    /// Initializes elements from the start of `buffer` and returns how many (at most
    /// `buffer.count`).
    func fill(_ buffer: UnsafeMutableBufferPointer<Element>) -> Int
}

extension Array {
    /// An array of the elements `filler` writes in place, at most `capacity` of them. The
    /// same job as `init(unsafeUninitializedCapacity:initializingWith:)`, at a lower fixed cost.
    ///
    /// Why not the standard initializer: it allocates through an unspecialized runtime function
    /// that looks up the metadata of the array's storage class on every call, several hundred
    /// instructions: more than all the rest of the work for the small arrays a link makes (a
    /// program's func_info, a few line_info records). Here the storage comes from
    /// `reserveCapacity`, which the compiler specializes for `Element`, and `filler` writes
    /// into it when `append(contentsOf:)` asks the sequence wrapping it to copy itself in. The
    /// filler is a value, not a closure: a closure kept in the sequence would be allocated on
    /// the heap, with its captures.
    @inline(__always)
    init<Filler: ArrayFiller>(capacity: Int, filledBy filler: Filler) where Filler.Element == Element {
        self = []
        guard capacity > 0 else { return }
        reserveCapacity(capacity)
        append(contentsOf: FillingSequence(capacity: capacity, filler: filler))
    }
}

/// A sequence that writes its elements straight into the buffer it is copied to, through
/// `Sequence._copyContents(initializing:)`, the customization point `append(contentsOf:)` uses.
/// Its `underestimatedCount` is 0, so the array reserves nothing more for it and does not
/// check the count written against an estimate: the caller has reserved `capacity` already.
private struct FillingSequence<Filler: ArrayFiller>: Sequence {
    let capacity: Int
    let filler: Filler

    var underestimatedCount: Int { 0 }

    func makeIterator() -> EmptyCollection<Filler.Element>.Iterator { EmptyCollection.Iterator() }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<Filler.Element>)
        -> (EmptyCollection<Filler.Element>.Iterator, UnsafeMutableBufferPointer<Filler.Element>.Index) {
        precondition(buffer.count >= capacity, "the array reserved less than asked")
        let written = filler.fill(UnsafeMutableBufferPointer(rebasing: buffer[..<capacity]))
        precondition(written >= 0 && written <= capacity, "the filler wrote more elements than the capacity")
        return (makeIterator(), written)
    }
}
