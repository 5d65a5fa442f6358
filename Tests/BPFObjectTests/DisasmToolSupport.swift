import Foundation
@testable import BPFObject

/// Reference tools used by the instruction and section-name tests, and the parsing of their output.
enum ReferenceTools {
    /// LLVM 21's llvm-objdump (Swift 6.3 toolchain): the syntax the disassembler reproduces.
    static let objdump = "/opt/swift/usr/bin/llvm-objdump"
    /// LLVM 21's clang, used to assemble byte patterns into an object llvm-objdump can read.
    static let clang = "/opt/swift/usr/bin/clang"
    /// The system C compiler, used to build a libbpf client for the section-name comparison.
    static let cc = "/usr/bin/cc"
    /// libbpf's public header, present when libbpf-dev is installed.
    static let libbpfHeader = "/usr/include/bpf/libbpf.h"

    static func isExecutable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    static var hasObjdump: Bool { isExecutable(objdump) }
    static var hasClangAndObjdump: Bool { isExecutable(clang) && hasObjdump }
    static var hasLibbpf: Bool {
        isExecutable(cc) && FileManager.default.fileExists(atPath: libbpfHeader)
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `tool` with `arguments` (and `input` on stdin); returns stdout, throws on a non-zero exit.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let inputPipe = Pipe()
        if input != nil { process.standardInput = inputPipe }
        try process.run()
        if let input {
            // Write from another thread so a large input cannot dead-lock against a full stdout pipe.
            let data = Data(input.utf8)
            let handle = inputPipe.fileHandleForWriting
            DispatchQueue.global().async {
                handle.write(data)
                try? handle.close()
            }
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) exited with "
                + "\(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// A fresh temporary directory for intermediate files.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-xdp-insn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `llvm-objdump -d --no-show-raw-insn` of `path`: for each disassembled section, the text
    /// of each instruction by slot index (the number before the colon).
    static func objdumpListing(_ path: String) throws -> [String: [Int: String]] {
        let output = try run(objdump, ["-d", "--no-show-raw-insn", path])
        var result: [String: [Int: String]] = [:]
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("Disassembly of section ") {
                current = String(line.dropFirst("Disassembly of section ".count).dropLast())
                result[current!] = [:]
                continue
            }
            guard let section = current, let tab = line.firstIndex(of: "\t") else { continue }
            let number = line[..<tab].trimmingCharacters(in: .whitespaces)
            guard number.hasSuffix(":"), let index = Int(number.dropLast()) else { continue }
            result[section]![index] = String(line[line.index(after: tab)...])
        }
        return result
    }

    /// The label llvm-objdump prints for an address in `section`: the closest preceding
    /// function/object/no-type symbol of the section, plus `+0x<offset>` if not exact.
    static func objdumpLabel(_ elf: ELFFile, section: ELFSection, slot: Int) -> String? {
        let address = UInt64(slot * Instruction.size)
        let candidates = elf.symbols.filter {
            $0.sectionIndex == section.index && $0.kind != .section && $0.kind != .file
                && !$0.name.isEmpty && $0.value <= address
        }
        guard let best = candidates.max(by: { $0.value < $1.value }) else { return nil }
        let delta = address - best.value
        return delta == 0 ? best.name : "\(best.name)+0x\(String(delta, radix: 16))"
    }
}
