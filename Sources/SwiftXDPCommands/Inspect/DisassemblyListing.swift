import SwiftXDP

/// The linked instructions of a program as text, with relocations annotated (`; map lb_map`),
/// calls named after their functions, helper calls by name, and the C source line from
/// `.BTF.ext` line_info attached to the first instruction of each line.
enum DisassemblyListing {
    struct Line {
        var index: Int
        var text: String
        var source: LinkedProgram.SourceLine?
    }

    static func lines(_ linked: LinkedProgram, in object: BPFObjectFile) -> [Line] {
        let relocations = Dictionary(linked.relocations.map { ($0.instruction, $0) }, uniquingKeysWith: { a, _ in a })
        let functionStarts = Dictionary(linked.placements.map { ($0.start, $0.name) }, uniquingKeysWith: { a, _ in a })
        let sources = Dictionary(linked.sourceLines.map { ($0.instruction, $0) }, uniquingKeysWith: { a, _ in a })
        let disassembler = Disassembler(
            helperCalls: .name,
            localCalls: .relative,
            localCallName: { functionStarts[$0] },
            annotate: { logical in
                if let relocation = relocations[logical.index] {
                    return "\(ObjectDescription.kindWord(relocation.kind)) \(ObjectDescription.target(relocation, in: object))"
                }
                if logical.instruction.isWideLoad, logical.instruction.src == BPFPseudo.function {
                    let target = logical.index + Int(logical.instruction.immediate) + 1
                    return functionStarts[target].map { "func_addr \($0)" }
                }
                return nil
            })
        return disassembler.lines(linked.instructions).map { line in
            Line(index: line.index, text: line.text, source: sources[line.index])
        }
    }

    /// The listing as text: function headers, `; source` lines, and `index: instruction`.
    static func text(_ linked: LinkedProgram, in object: BPFObjectFile) -> String {
        let functionStarts = Dictionary(linked.placements.map { ($0.start, $0) }, uniquingKeysWith: { a, _ in a })
        let width = String(max(linked.instructions.count - 1, 0)).count
        var out = ""
        var lastSource: (file: String, line: Int)?
        for line in lines(linked, in: object) {
            if let placement = functionStarts[line.index] {
                if line.index != 0 { out += "\n" }
                out += "\(placement.name) (section \(placement.sectionName)):\n"
            }
            if let source = line.source, source.file != lastSource?.file || source.line != lastSource?.line {
                out += "    ; \(source.text.trimmingSpaces())  [\(source.file):\(source.line)]\n"
                lastSource = (source.file, source.line)
            }
            let number = String(line.index)
            out += String(repeating: " ", count: width - number.count + 4) + number + ": " + line.text + "\n"
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
