import Foundation
import Testing
@testable import BPFObject
@testable import SwiftXDP

/// Kernel config text, config values, the release code and the `.kconfig` layout.
@Suite struct ExternKconfigTests {
    // MARK: - Config text

    @Test func configLinesAreParsedLikeLibbpf() throws {
        let text = """
        #
        # Automatically generated file; DO NOT EDIT.
        #
        CONFIG_BPF_SYSCALL=y
        # CONFIG_KALLSYMS_ALL is not set
        CONFIG_HZ=250
        CONFIG_DEFAULT_HOSTNAME="(none)"
        CONFIG_BPF_SYSCALL=n
         CONFIG_INDENTED=y

        CONFIG_LAST=m
        """
        let config = try KernelConfig.parse(Array(text.utf8)[...])
        #expect(config.values == ["CONFIG_BPF_SYSCALL": "y", "CONFIG_HZ": "250",
                                  "CONFIG_DEFAULT_HOSTNAME": "\"(none)\"", "CONFIG_LAST": "m"])
        #expect(config["CONFIG_KALLSYMS_ALL"] == nil)
    }

    @Test func malformedConfigLinesAreErrorsWithOffsets() {
        let noSeparator = Array("CONFIG_A=y\nCONFIG_B\n".utf8)
        let error = #expect(throws: ParseError.self) { try KernelConfig.parse(noSeparator[...]) }
        #expect(error?.offset == 11)
        #expect(error?.description.contains("line 2") == true)
        let noValue = Array("CONFIG_A=\n".utf8)
        let valueError = #expect(throws: ParseError.self) { try KernelConfig.parse(noValue[...]) }
        #expect(valueError?.description.contains("no value") == true)
    }

    @Test func compressedAndPlainFilesGiveTheSameConfig() throws {
        let text = Array("CONFIG_X=y\nCONFIG_Y=0x10\n".utf8)
        let compressed = try ExternTestSupport.run("gzip -c", input: text)
        #expect(try KernelConfig.parse(fileBytes: compressed) == KernelConfig.parse(fileBytes: text))
        #expect(try KernelConfig.parse(fileBytes: compressed).values.count == 2)
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/proc/config.gz")))
    func runningKernelConfigMatchesZcat() throws {
        let config = try KernelConfig.load(paths: ["/nonexistent/config", "/proc/config.gz"])
        let reference = String(decoding: try ExternTestSupport.run("zcat /proc/config.gz"), as: UTF8.self)
        var expected: [String: String] = [:]
        for line in reference.split(separator: "\n") where line.hasPrefix("CONFIG_") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if expected[String(parts[0])] == nil { expected[String(parts[0])] = String(parts[1]) }
        }
        #expect(config.values == expected)
        #expect(config["CONFIG_BPF_SYSCALL"] == "y")
        // The default search finds it too (there is no /boot/config-* here, or it agrees).
        #expect(try KernelConfig.load()["CONFIG_BPF_SYSCALL"] == "y")
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/proc/config.gz")))
    func missingConfigFilesAreReported() throws {
        let error = #expect(throws: KernelFileError.self) { try KernelConfig.load(paths: ["/nonexistent/a", "/nonexistent/b"]) }
        #expect(error == .notFound(what: "kernel config", tried: ["/nonexistent/a", "/nonexistent/b"]))
        // A path that exists but cannot be read as a file is reported if nothing else works.
        let directory = #expect(throws: KernelFileError.self) { try KernelConfig.load(paths: ["/proc", "/nonexistent/b"]) }
        #expect(directory?.errno?.rawValue == EISDIR)
        #expect(try KernelConfig.load(paths: ["/proc", "/nonexistent/b", "/proc/config.gz"])["CONFIG_BPF_SYSCALL"] == "y")

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swift-xdp-config-\(getpid()).gz").path
        _ = FileManager.default.createFile(atPath: path, contents: Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let corrupt = #expect(throws: KernelFileError.self) { try KernelConfig.load(paths: [path]) }
        guard case let .malformed(where_, parseError)? = corrupt else {
            Issue.record("expected a malformed-file error, got \(String(describing: corrupt))")
            return
        }
        #expect(where_ == path)
        #expect(parseError.context == "deflate block 0")
    }

    // MARK: - Release

    @Test func kernelVersionCodeFollowsKernelVersionMacro() {
        #expect(KernelRelease.versionCode("6.18.44-fc-v595") == 0x06_12_2c)
        #expect(KernelRelease.versionCode("6.1.0") == 0x06_01_00)
        #expect(KernelRelease.versionCode("4.19.300-cip") == 0x04_13_ff)  // patch capped at 255
        #expect(KernelRelease.versionCode("6.18") == nil)
        #expect(KernelRelease.versionCode("6.18-rc1") == nil)
        #expect(KernelRelease.versionCode("linux") == nil)
        #expect(KernelRelease.versionCode("") == nil)
    }

    @Test func runningReleaseIsUname() throws {
        let uname = String(decoding: try ExternTestSupport.run("uname -r"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(KernelRelease.running() == uname)
        #expect(KernelRelease.versionCode(KernelRelease.forVersionCode()) != nil)
    }

    // MARK: - Values

    @Test func integersParseLikeStrtoull() {
        #expect(KconfigValue.parseInteger("250") == 250)
        #expect(KconfigValue.parseInteger("0x1F") == 31)
        #expect(KconfigValue.parseInteger("0X10") == 16)
        #expect(KconfigValue.parseInteger("010") == 8)
        #expect(KconfigValue.parseInteger("0") == 0)
        #expect(KconfigValue.parseInteger("-1") == UInt64.max)
        #expect(KconfigValue.parseInteger("+7") == 7)
        #expect(KconfigValue.parseInteger(" 5") == 5)
        #expect(KconfigValue.parseInteger("18446744073709551615") == UInt64.max)
        #expect(KconfigValue.parseInteger("18446744073709551616") == nil)
        #expect(KconfigValue.parseInteger("08") == nil)
        #expect(KconfigValue.parseInteger("0x") == nil)
        #expect(KconfigValue.parseInteger("12a") == nil)
        #expect(KconfigValue.parseInteger("5 ") == nil)
        #expect(KconfigValue.parseInteger("") == nil)
    }

    @Test func rangeChecksFollowTheExternSize() {
        #expect(KconfigValue.fits(127, size: 1, isSigned: true))
        #expect(!KconfigValue.fits(128, size: 1, isSigned: true))
        #expect(KconfigValue.fits(UInt64(bitPattern: -128), size: 1, isSigned: true))
        #expect(!KconfigValue.fits(UInt64(bitPattern: -129), size: 1, isSigned: true))
        #expect(KconfigValue.fits(255, size: 1, isSigned: false))
        #expect(!KconfigValue.fits(256, size: 1, isSigned: false))
        #expect(!KconfigValue.fits(UInt64(bitPattern: -1), size: 4, isSigned: false))
        #expect(KconfigValue.fits(UInt64.max, size: 8, isSigned: false))
    }

    @Test func valuesEncodeByType() throws {
        func encode(_ text: String, _ type: KconfigType, _ size: Int, _ order: ByteOrder = .little) throws -> [UInt8] {
            try KconfigValue.encode(text, as: type, size: size, order: order)
        }
        #expect(try encode("y", .bool, 1) == [1])
        #expect(try encode("n", .bool, 1) == [0])
        #expect(try encode("y", .tristate, 4) == [1, 0, 0, 0])
        #expect(try encode("m", .tristate, 4) == [2, 0, 0, 0])
        #expect(try encode("n", .tristate, 4) == [0, 0, 0, 0])
        #expect(try encode("m", .char(isSigned: true), 1) == [UInt8(ascii: "m")])
        #expect(try encode("250", .integer(size: 4, isSigned: true), 4) == [250, 0, 0, 0])
        #expect(try encode("250", .integer(size: 4, isSigned: true), 4, .big) == [0, 0, 0, 250])
        #expect(try encode("-2", .integer(size: 2, isSigned: true), 2) == [0xfe, 0xff])
        #expect(try encode("0x1234", .integer(size: 8, isSigned: false), 8) == [0x34, 0x12, 0, 0, 0, 0, 0, 0])
        #expect(try encode("65", .char(isSigned: false), 1) == [65])
        #expect(try encode("\"(none)\"", .charArray(count: 8), 8) == Array("(none)".utf8) + [0, 0])
        #expect(try encode("\"toolong\"", .charArray(count: 4), 4) == Array("too".utf8) + [0])
        #expect(try encode("\"\"", .charArray(count: 2), 2) == [0, 0])

        #expect(throws: ExternError.Reason.self) { try encode("m", .bool, 1) }
        #expect(throws: ExternError.Reason.self) { try encode("y", .integer(size: 4, isSigned: true), 4) }
        #expect(throws: ExternError.Reason.self) { try encode("y", .charArray(count: 4), 4) }
        #expect(throws: ExternError.Reason.self) { try encode("1", .bool, 1) }
        #expect(throws: ExternError.Reason.self) { try encode("1", .tristate, 4) }
        #expect(throws: ExternError.Reason.self) { try encode("\"a\"", .integer(size: 4, isSigned: true), 4) }
        #expect(throws: ExternError.Reason.self) { try encode("\"open", .charArray(count: 8), 8) }
        #expect(throws: ExternError.Reason.self) { try encode("\"", .charArray(count: 8), 8) }
        #expect(throws: ExternError.Reason.self) { try encode("abc", .integer(size: 4, isSigned: true), 4) }
        let range = #expect(throws: ExternError.Reason.self) { try encode("300", .integer(size: 1, isSigned: false), 1) }
        #expect(range == .valueOutOfRange(value: "300", size: 1))
        #expect(try KconfigValue.encode(number: 1, as: .bool, size: 1, order: .little) == [1])
        #expect(throws: ExternError.Reason.self) { try KconfigValue.encode(number: 2, as: .bool, size: 1, order: .little) }
    }

    // MARK: - Layout

    /// A BTF with one VAR per kconfig extern, of the types libbpf accepts.
    static func layoutBTF() throws -> (BTF, [ExternSpec]) {
        var btf = BTF(order: .little)
        func int(_ name: String, _ size: UInt32, _ encoding: BTFIntEncoding) throws -> BTFTypeID {
            let nameOffset = btf.addString(name)
            return try btf.append(BTFRawType(kind: .int, nameOffset: nameOffset, sizeOrType: size,
                                             trailing: [UInt32(encoding.rawValue) << 24 | size * 8]))
        }
        let u64 = try int("unsigned long long", 8, [])
        let char = try int("char", 1, .signed)
        let short = try int("short", 2, .signed)
        let bool = try int("_Bool", 1, .bool)
        let index = try int("__ARRAY_SIZE_TYPE__", 4, [])
        let charArray = try btf.append(BTFRawType(kind: .array, sizeOrType: 0, trailing: [char, index, 5]))
        let tristateName = btf.addString("libbpf_tristate")
        let names = ["TRI_NO", "TRI_YES", "TRI_MODULE"].map { btf.addString($0) }
        let tristate = try btf.append(BTFRawType(kind: .enumeration, nameOffset: tristateName, vlen: 3, sizeOrType: 4,
                                                 trailing: [names[0], 0, names[1], 1, names[2], 2]))
        let constU64 = try btf.append(BTFRawType(kind: .const, sizeOrType: u64))
        let variables: [(String, BTFTypeID)] = [("CONFIG_B", charArray), ("CONFIG_G", u64), ("CONFIG_E", bool),
                                                ("CONFIG_A", constU64), ("CONFIG_D", tristate), ("CONFIG_C", short),
                                                ("CONFIG_F", char)]
        var externs: [ExternSpec] = []
        var entries: [UInt32] = []
        for (name, type) in variables {
            let nameOffset = btf.addString(name)
            let id = try btf.append(BTFRawType(kind: .variable, nameOffset: nameOffset, sizeOrType: type,
                                               trailing: [BTFVariableLinkage.external.rawValue]))
            externs.append(ExternSpec(name: name, kind: .kconfig, isWeak: true, isUsed: true, btfTypeID: id))
            entries += [id, 0, UInt32(btf.size(of: type) ?? 0)]
        }
        let section = btf.addString(".kconfig")
        try btf.append(BTFRawType(kind: .dataSection, nameOffset: section, vlen: variables.count, sizeOrType: 0,
                                  trailing: entries))
        return (btf, externs)
    }

    @Test func layoutSortsByAlignmentThenSizeThenName() throws {
        let (btf, externs) = try Self.layoutBTF()
        let layout = try KconfigLayout(btf: btf, externs: externs)
        #expect(layout.slots.map(\.name) == ["CONFIG_A", "CONFIG_G", "CONFIG_D", "CONFIG_C", "CONFIG_E", "CONFIG_F", "CONFIG_B"])
        #expect(layout.slots.map(\.offset) == [0, 8, 16, 20, 22, 23, 24])
        #expect(layout.slots.map(\.type) == [.integer(size: 8, isSigned: false), .integer(size: 8, isSigned: false),
                                             .tristate, .integer(size: 2, isSigned: true), .bool,
                                             .char(isSigned: true), .charArray(count: 5)])
        #expect(layout.size == 29)
        #expect(layout.dataSectionID != nil)
    }

    @Test func unsupportedKconfigTypesAreRejected() throws {
        var (btf, externs) = try Self.layoutBTF()
        let structName = btf.addString("config_struct")
        let structure = try btf.append(BTFRawType(kind: .structure, nameOffset: structName, sizeOrType: 4))
        let name = btf.addString("CONFIG_STRUCT")
        let id = try btf.append(BTFRawType(kind: .variable, nameOffset: name, sizeOrType: structure, trailing: [2]))
        externs.append(ExternSpec(name: "CONFIG_STRUCT", kind: .kconfig, isWeak: false, isUsed: true, btfTypeID: id))
        let error = #expect(throws: ExternError.self) { try KconfigLayout(btf: btf, externs: externs) }
        #expect(error == ExternError(name: "CONFIG_STRUCT", kind: .kconfig, reason: .unsupportedType("struct config_struct")))
        let noBTF = #expect(throws: ExternError.self) { try KconfigLayout(btf: nil, externs: externs) }
        #expect(noBTF?.name == "CONFIG_B")
    }

    @Test func fixtureLayoutMatchesLibbpf() throws {
        let layout = try KconfigLayout(object: try ExternTestSupport.externsObject())
        #expect(layout.slots.map(\.name) == ["CONFIG_HZ", "LINUX_KERNEL_VERSION", "CONFIG_BPF_SYSCALL",
                                             "CONFIG_SWIFT_XDP_NO_SUCH_OPTION"])
        #expect(layout.slots.map(\.offset) == [0, 4, 8, 9])
        #expect(layout.slots.map(\.isWeak) == [true, false, false, true])
        #expect(layout.size == 10)
    }
}
