import Foundation
import Testing
@testable import BPFObject

/// Inputs shared by the BTF value codec tests: fixture objects, the kernel's BTF, and objects
/// compiled on the spot from `ValueInputs.source` as a reference for C data layout.
enum ValueInputs {
    /// A committed fixture as an object.
    static func object(_ name: String) throws -> BPFObjectFile {
        try BPFObjectFile(bytes: try Fixtures.bytes(name), name: name)
    }

    /// Where the running kernel's BTF is.
    static let vmlinuxPath = "/sys/kernel/btf/vmlinux"

    /// The running kernel's BTF, parsed once.
    static let vmlinux: BTF? = {
        guard let data = FileManager.default.contents(atPath: vmlinuxPath) else { return nil }
        return try? BTF(bytes: [UInt8](data), context: "vmlinux")
    }()

    /// The kernel BTF, or a test failure when it cannot be read.
    static func kernel() throws -> BTF {
        try #require(vmlinux, "cannot read \(vmlinuxPath)")
    }

    /// The first type of `kind` named `name` in `btf`.
    static func type(_ name: String, _ kind: BTFKind, in btf: BTF) throws -> BTFTypeID {
        try #require(btf.typeID(named: name, kind: kind), "no \(kind) \(name)")
    }

    /// The type of member `member` of the struct `structName`.
    static func memberType(_ member: String, of structName: String, in btf: BTF) throws -> BTFTypeID {
        let id = try type(structName, .structure, in: btf)
        let members: [BTFMember] = if case let .structure(composite)? = btf.type(id) { composite.members } else { [] }
        return try #require(members.first { $0.name == member }, "struct \(structName) has no member \(member)").type
    }

    /// Bytes from hex text (`"02 00 12 c6"`), for expectations.
    static func hex(_ text: String) -> [UInt8] {
        text.split(separator: " ").map { UInt8($0, radix: 16)! }
    }

    /// The project's pinned clang (the Swift toolchain's), used by `bpf/Makefile`.
    static let clang = "/opt/swift/usr/bin/clang"

    /// C globals covering every value shape, compiled with clang as the reference layout:
    /// bitfields (signed, 33 bits wide, enum, bool, an unnamed one), `char[N]` text, an
    /// anonymous union, a nested anonymous struct, signed enums, floats and a pointer.
    static let source = """
    enum color { RED = 1, GREEN = 2, BLUE = 200 };
    enum neg { MINUS = -3, ZERO = 0 };
    struct bits {
        unsigned int a : 3;
        unsigned int b : 5;
        int c : 7;
        unsigned int : 2;
        unsigned long long d : 33;
        enum color e : 8;
        _Bool f : 1;
        unsigned char tail;
    };
    struct mixed {
        char name[8];
        short s;
        union { int i; unsigned char raw[4]; };
        struct { unsigned short x, y; } point;
        enum neg n;
        long long big;
        float fl;
        double db;
        int *p;
        _Bool flag;
    };
    struct bits g_bits = { .a = 5, .b = 17, .c = -5, .d = 0x1ABCDEF01ULL, .e = BLUE, .f = 1, .tail = 0x7f };
    struct mixed g_mixed = { .name = "swift", .s = -2, .i = 0x01020304, .point = {3, 4}, .n = MINUS,
                             .big = -1234567890123LL, .fl = 1.5f, .db = -2.25, .p = 0, .flag = 1 };
    """

    /// `source` compiled for `target` (`bpfel` or `bpfeb`) as an object, or nil without clang.
    static func compiledValues(target: String) throws -> BPFObjectFile? {
        guard FileManager.default.isExecutableFile(atPath: clang) else { return nil }
        let directory = FileManager.default.temporaryDirectory
            // unique per call: tests running in parallel compile the same target, and one's
            // cleanup must not remove the other's files mid-compile
            .appendingPathComponent("swift-xdp-values-\(getpid())-\(target)-\(UInt64.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("values.c")
        let output = directory.appendingPathComponent("values.o")
        try source.write(to: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: clang)
        process.arguments = ["-g", "-O2", "-target", target, "-c", input.path, "-o", output.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try BPFObjectFile(bytes: [UInt8](try Data(contentsOf: output)), name: "values.o")
    }

    /// A small, reproducible byte generator (xorshift64*) for round-trip tests.
    struct Bytes {
        var state: UInt64
        init(seed: UInt64) { state = seed | 1 }
        mutating func next(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state ^= state >> 12; state ^= state << 25; state ^= state >> 27
                return UInt8(truncatingIfNeeded: (state &* 0x2545F4914F6CDD1D) >> 56)
            }
        }
    }
}
