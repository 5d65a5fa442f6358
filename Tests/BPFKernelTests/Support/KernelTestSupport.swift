import BPFKernel
import Foundation
import Testing
import Synchronization

/// Collects the ``KernelCall``s reported while a body runs.
final class TraceRecorder: Sendable {
    private let calls = Mutex<[KernelCall]>([])

    /// Everything recorded so far.
    var recorded: [KernelCall] { calls.withLock { $0 } }

    /// Runs `body` with this recorder as the ``KernelTrace`` observer.
    @discardableResult
    func record<R>(_ body: () throws -> R) rethrows -> R {
        try KernelTrace.withObserver({ call in self.calls.withLock { $0.append(call) } }) {
            try body()
        }
    }

    /// The recorded calls of one command.
    func calls(_ command: BPFCommand) -> [KernelCall] { recorded.filter { $0.command == command.name } }
}

extension KernelCall {
    /// The value of a field by name.
    func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }
}

/// Tiny hand-encoded programs.
enum TestPrograms {
    /// `r0 = 2 (XDP_PASS); exit`.
    static let xdpPass = InstructionBytes.moveImmediate(0, 2) + InstructionBytes.exit
    /// `exit` without setting r0: the verifier says `R0 !read_ok`.
    static let uninitializedReturn = InstructionBytes.exit
    /// An XDP program definition returning XDP_PASS.
    static func xdpPassDefinition(name: String) -> BPFProgramDefinition {
        BPFProgramDefinition(type: .xdp, expectedAttachType: .xdp, instructions: xdpPass, name: name)
    }
    /// A 64-byte Ethernet frame of zeros (enough for XDP test runs).
    static let packet = [UInt8](repeating: 0, count: 64)
}

/// Unique, kernel-safe names (≤ 15 bytes) so parallel runs do not collide.
enum UniqueName {
    private static let counter = Atomic<Int>(0)
    /// `prefix` + pid + counter, e.g. `m4711_3`.
    static func make(_ prefix: String) -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return "\(prefix)\(getpid() % 100_000)_\(n)"
    }
}

/// Runs reference tools (bpftool, …).
enum Tool {
    /// Runs `tool` and returns its exit status and standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `bpftool -j <arguments>` parsed as a JSON object.
    static func bpftoolJSON(_ arguments: [String]) throws -> [String: Any] {
        let (_, output) = try run("bpftool", ["-j"] + arguments)
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8))
        return object as? [String: Any] ?? [:]
    }
}

/// Little-endian bytes of an integer (keys and values in tests).
func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// Minimal raw BTF blobs, encoded by hand (linux/btf.h: `struct btf_header`, then types, then
/// strings), little-endian as on the test machines.
enum TinyBTF {
    static func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    /// One type: `int` (BTF_KIND_INT, 4 bytes, 32 bits, signed), named by string offset `nameOffset`.
    static func intType(nameOffset: UInt32 = 1) -> [UInt8] {
        let types = le32(nameOffset) + le32(1 << 24) + le32(4) + le32(1 << 24 | 32)
        let strings = Array("\0int\0".utf8)
        let header: [UInt8] = [0x9f, 0xeb, 1, 0] + le32(24)
            + le32(0) + le32(UInt32(types.count))
            + le32(UInt32(types.count)) + le32(UInt32(strings.count))
        return header + types + strings
    }
}

/// The parent of every suite here that touches kernel objects or counts descriptors: it runs
/// them one after another, so a descriptor count is not disturbed by a sibling suite creating
/// a thousand maps at the same time.
@Suite(.serialized) enum SerialKernelTests {}
