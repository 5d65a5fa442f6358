import Foundation
@testable import BPFObject

/// Inputs and reference-tool helpers shared by the BTF tests.
enum BTFInputs {
    /// The running kernel's BTF (130k+ types).
    static let vmlinuxPath = "/sys/kernel/btf/vmlinux"

    /// Every committed fixture and every xdp-tools object that has a `.BTF` section.
    static var objects: [URL] {
        (Fixtures.objects + Fixtures.systemXDPObjects).filter { url in
            guard let elf = try? ELFFile(bytes: [UInt8](try Data(contentsOf: url))) else { return false }
            return elf.section(named: ".BTF") != nil
        }
    }

    /// The embedded samples, by name, little- and big-endian.
    static let samples: [(name: String, btf: [UInt8], ext: [UInt8])] = [
        ("kinds (bpfel)", BTFSamples.kindsBTF, BTFSamples.kindsExt),
        ("kinds (bpfeb)", BTFSamples.kindsBTFBigEndian, BTFSamples.kindsExtBigEndian),
        ("core (bpfel)", BTFSamples.coreBTF, BTFSamples.coreExt),
        ("core (bpfeb)", BTFSamples.coreBTFBigEndian, BTFSamples.coreExtBigEndian),
    ]
    static var sampleNames: [String] { samples.map(\.name) }
    static func sample(_ name: String) -> (btf: [UInt8], ext: [UInt8]) {
        let found = samples.first { $0.name == name }!
        return (found.btf, found.ext)
    }

    /// An object's ELF, `.BTF` bytes and parsed BTF and BTF.ext (when present).
    struct Object {
        var elf: ELFFile
        var btfBytes: [UInt8]
        var btf: BTF
        var ext: BTFExt?
        var extSection: ELFSection?
    }

    static func object(_ url: URL) throws -> Object {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: url)))
        guard let section = elf.section(named: ".BTF") else { throw MissingSection(name: ".BTF", file: url.path) }
        let btfBytes = Array(elf.data(of: section))
        let btf = try BTF(bytes: elf.data(of: section), base: section.offset)
        var ext: BTFExt?
        let extSection = elf.section(named: ".BTF.ext")
        if let extSection {
            ext = try BTFExt(bytes: elf.data(of: extSection), btf: btf, base: extSection.offset)
        }
        return Object(elf: elf, btfBytes: btfBytes, btf: btf, ext: ext, extSection: extSection)
    }

    /// `bpftool btf dump file <path>` (raw format).
    static func bpftoolDump(_ path: String) throws -> String {
        try Fixtures.run("bpftool", ["btf", "dump", "file", path])
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-xdp-btf-tests-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name.filter { $0.isLetter || $0.isNumber || $0 == "." })
        try Data(bytes).write(to: url)
        return url.path
    }

    /// `nil` when equal, else the first differing line of each (1-based), for a short message.
    static func firstDifference(_ ours: String, _ theirs: String) -> String? {
        if ours == theirs { return nil }
        let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
        let b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : "<end>"
            let right = index < b.count ? String(b[index]) : "<end>"
            if left != right { return "line \(index + 1):\n  ours:    \(left)\n  bpftool: \(right)" }
        }
        return "outputs differ"
    }
}

/// An object without the section a test needs.
struct MissingSection: Error, CustomStringConvertible {
    var name: String
    var file: String
    var description: String { "\(file) has no \(name) section" }
}

/// A small deterministic RNG (SplitMix64) so malformed-input tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
