// Whole instruction streams: decoding a section's bytes into slots, encoding them back, and
// walking them as "logical" instructions where `ld_imm64` is one instruction of two slots.

extension Instruction {
    /// Decodes every 8-byte slot of `bytes` (an executable section's contents) in `order`.
    ///
    /// Throws ``ParseError`` `.invalid` if the length is not a multiple of 8; `context` names
    /// the section in the error and `base` is the offset of `bytes` in the file.
    public static func decodeAll(_ bytes: ArraySlice<UInt8>, order: ByteOrder,
                                 context: String = "instructions", base: Int = 0) throws(ParseError) -> [Instruction] {
        let reader = ByteReader(bytes, order: order, context: context, base: base)
        guard bytes.count % Instruction.size == 0 else {
            throw reader.error(.invalid("size \(bytes.count) is not a multiple of \(Instruction.size)"),
                               at: bytes.count - bytes.count % Instruction.size)
        }
        var result: [Instruction] = []
        result.reserveCapacity(bytes.count / Instruction.size)
        var offset = 0
        while offset < bytes.count {
            result.append(try Instruction(reading: reader, at: offset))
            offset += Instruction.size
        }
        return result
    }

    /// Decodes every slot of a whole byte array (see ``decodeAll(_:order:context:base:)``).
    public static func decodeAll(_ bytes: [UInt8], order: ByteOrder,
                                 context: String = "instructions") throws(ParseError) -> [Instruction] {
        try decodeAll(bytes[...], order: order, context: context, base: 0)
    }

    /// Encodes `instructions` as consecutive 8-byte slots in `order`.
    public static func encodeAll(_ instructions: some Collection<Instruction>, order: ByteOrder) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: instructions.count * Instruction.size)
        for (position, instruction) in instructions.enumerated() {
            instruction.encode(into: &result, at: position * Instruction.size, order: order)
        }
        return result
    }

    /// The 64-bit constant of an `ld_imm64` pair: the first slot's `imm` is the low 32 bits,
    /// the second slot's `imm` the high 32 bits.
    public static func wideImmediate(low: Instruction, high: Instruction) -> UInt64 {
        (UInt64(UInt32(bitPattern: high.immediate)) << 32) | UInt64(UInt32(bitPattern: low.immediate))
    }

    /// The two slots of an `ld_imm64` of `value` into register `dst` (with `src_reg` = `source`,
    /// one of the ``BPFPseudo`` load kinds, 0 for a plain constant).
    public static func loadImmediate64(dst: UInt8, value: UInt64, source: UInt8 = 0) -> [Instruction] {
        [
            Instruction(code: Opcode.loadImmediate64, dst: dst, src: source,
                        immediate: Int32(bitPattern: UInt32(truncatingIfNeeded: value))),
            Instruction(code: 0, immediate: Int32(bitPattern: UInt32(truncatingIfNeeded: value >> 32))),
        ]
    }
}

/// One logical instruction: a single slot, or the two slots of an `ld_imm64`.
public struct LogicalInstruction: Sendable, Equatable {
    /// Index of the (first) slot in the underlying collection.
    public let index: Int
    /// The (first) slot.
    public let instruction: Instruction
    /// The second slot of an `ld_imm64`; nil for one-slot instructions and for an `ld_imm64`
    /// cut off by the end of the stream (which is malformed; see ``isTruncated``).
    public let second: Instruction?

    /// Creates a logical instruction.
    public init(index: Int, instruction: Instruction, second: Instruction? = nil) {
        self.index = index
        self.instruction = instruction
        self.second = second
    }

    /// Number of slots taken: 2 for a complete `ld_imm64`, otherwise 1.
    public var slotCount: Int { second == nil ? 1 : 2 }

    /// True for an `ld_imm64` whose second slot is missing (the stream ended).
    public var isTruncated: Bool { instruction.isWideLoad && second == nil }

    /// The 64-bit constant of a complete `ld_imm64`, nil otherwise.
    public var immediate64: UInt64? {
        guard instruction.isWideLoad, let second else { return nil }
        return Instruction.wideImmediate(low: instruction, high: second)
    }
}

/// Walks a collection of slots as logical instructions, joining each `ld_imm64` with the slot
/// that follows it.
public struct LogicalInstructions<Base: RandomAccessCollection>: Sequence
where Base.Element == Instruction, Base.Index == Int {
    /// The slots being walked.
    public let base: Base

    /// Walks `base`.
    public init(_ base: Base) { self.base = base }

    /// Produces the logical instructions in order.
    public struct Iterator: IteratorProtocol {
        let base: Base
        var position: Int

        /// The next logical instruction, or nil at the end.
        public mutating func next() -> LogicalInstruction? {
            guard position < base.endIndex else { return nil }
            let first = base[position]
            let index = position
            if first.isWideLoad, position + 1 < base.endIndex {
                position += 2
                return LogicalInstruction(index: index, instruction: first, second: base[index + 1])
            }
            position += 1
            return LogicalInstruction(index: index, instruction: first)
        }
    }

    /// An iterator starting at the first slot.
    public func makeIterator() -> Iterator { Iterator(base: base, position: base.startIndex) }
}

extension RandomAccessCollection where Element == Instruction, Index == Int {
    /// These slots as logical instructions (`ld_imm64` pairs joined).
    public var logicalInstructions: LogicalInstructions<Self> { LogicalInstructions(self) }
}
