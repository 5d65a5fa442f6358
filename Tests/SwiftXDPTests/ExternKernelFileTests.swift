import Foundation
import Testing
@testable import SwiftXDP

/// The readers at the edge: /proc/kallsyms and /sys/kernel/btf/vmlinux, with made-up text and
/// with the running kernel (compared with grep and bpftool).
@Suite struct ExternKernelFileTests {
    static let sample = """
    0000000000000000 A fixed_percpu_data
    ffffffff81000000 T _text
    ffffffff81000000 T startup_64
    ffffffff815113d0 T bpf_cast_to_kern_ctx
    ffffffff82a01234 d swift_static_data.llvm.1234567
    ffffffff82a05678 D swift_data
    ffffffffc0a01000 t swift_module_fn\t[swift_mod]
    ffffffff81000000 T _text
    not a line
    ffffffff8100zzzz T bad_address
    """

    @Test func kallsymsLinesGiveAddressesOfWantedNames() throws {
        let names: Set = ["_text", "bpf_cast_to_kern_ctx", "swift_static_data", "swift_module_fn", "swift_data", "absent",
                          "bad_address"]
        let found = try KernelSymbols.parse(Array(Self.sample.utf8), names: names)
        #expect(found == ["_text": 0xffff_ffff_8100_0000, "bpf_cast_to_kern_ctx": 0xffff_ffff_8151_13d0,
                          "swift_static_data": 0xffff_ffff_82a0_1234, "swift_module_fn": 0xffff_ffff_c0a0_1000,
                          "swift_data": 0xffff_ffff_82a0_5678])
    }

    @Test func kallsymsChunksMayCutLinesAnywhere() throws {
        let bytes = Array(Self.sample.utf8)
        let names: Set = ["_text", "swift_module_fn", "swift_data"]
        let whole = try KernelSymbols.parse(bytes, names: names)
        for chunkSize in [1, 2, 3, 7, 16, 33, 100] {
            var scanner = KallsymsScanner(names: names, path: "sample")
            var start = 0
            while start < bytes.count {
                try scanner.feed(bytes[start..<min(start + chunkSize, bytes.count)])
                start += chunkSize
            }
            #expect(try scanner.finish() == whole, "chunks of \(chunkSize)")
        }
    }

    @Test func ambiguousAndHiddenSymbolsAreErrors() throws {
        let ambiguous = Array("ffffffff81000000 t dup\nffffffff81000010 t dup\n".utf8)
        let error = #expect(throws: KernelFileError.self) { try KernelSymbols.parse(ambiguous, names: ["dup"]) }
        #expect(error == .ambiguousSymbol(name: "dup", first: 0xffff_ffff_8100_0000, second: 0xffff_ffff_8100_0010))
        let hidden = Array("0000000000000000 T _text\n0000000000000000 T _stext\n".utf8)
        let hiddenError = #expect(throws: KernelFileError.self) { try KernelSymbols.parse(hidden, names: ["_text"], path: "/proc/kallsyms") }
        #expect(hiddenError == .addressesHidden(path: "/proc/kallsyms"))
        #expect(try KernelSymbols.parse([], names: ["_text"]) == [:])
        let unreadable = #expect(throws: KernelFileError.self) { try KernelSymbols.load(names: ["x"], path: "/nonexistent/kallsyms") }
        #expect(unreadable?.errno == .ENOENT)
    }

    @Test(.privileged) func runningKernelSymbolsMatchGrep() throws {
        let names: Set = ["_text", "bpf_cast_to_kern_ctx", "swift_xdp_no_such_symbol"]
        let found = try KernelSymbols.load(names: names)
        let grep = String(decoding: try ExternTestSupport.run("grep -E ' (_text|bpf_cast_to_kern_ctx)$' /proc/kallsyms"),
                          as: UTF8.self)
        var expected: [String: UInt64] = [:]
        for line in grep.split(separator: "\n") {
            let fields = line.split(separator: " ")
            expected[String(fields[2])] = UInt64(fields[0], radix: 16)
        }
        #expect(found == expected)
        #expect(found["_text"] != nil && found["_text"] != 0)
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: VmlinuxBTF.path)))
    func vmlinuxBTFFindsKfuncsLikeBpftool() throws {
        let btf = try VmlinuxBTF.load()
        #expect(btf.typeCount > 10_000)
        let id = try #require(btf.typeID(named: "bpf_cast_to_kern_ctx", kind: .function))
        let line = String(decoding: try ExternTestSupport.run(
            "bpftool btf dump file /sys/kernel/btf/vmlinux | grep -m1 \"FUNC 'bpf_cast_to_kern_ctx'\""), as: UTF8.self)
        #expect(line.hasPrefix("[\(id)] FUNC 'bpf_cast_to_kern_ctx'"))
        let error = #expect(throws: KernelFileError.self) { try VmlinuxBTF.load(path: "/nonexistent/vmlinux") }
        #expect(error == .notFound(what: "kernel BTF", tried: ["/nonexistent/vmlinux"]))
        let malformed = #expect(throws: KernelFileError.self) { try VmlinuxBTF.load(path: "/proc/self/cmdline") }
        if case .malformed? = malformed {} else { Issue.record("expected malformed, got \(String(describing: malformed))") }
    }
}
