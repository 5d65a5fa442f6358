import Foundation
import Testing
@testable import BPFObject
@testable import SwiftXDP

/// The pure resolver and relocator on `Fixtures/externs.bpf.o`, with a made-up kernel.
@Suite struct ExternResolverTests {
    static let textAddress: UInt64 = 0xffff_ffff_8100_0000
    static let config = ["CONFIG_BPF_SYSCALL": "y", "CONFIG_HZ": "1000"]
    static let release = "5.10.300-made-up"

    /// A kernel BTF holding `void *bpf_cast_to_kern_ctx(void *obj)` (FUNC id 3) and, when
    /// asked, `int swift_xdp_no_such_percpu` (VAR).
    static func kernelBTF(withPercpu: Bool = false, kfuncParameters: Int = 1) throws -> BTF {
        var btf = BTF(order: .little)
        let voidPointer = try btf.append(BTFRawType(kind: .pointer, sizeOrType: 0))
        let objName = btf.addString("obj")
        let proto = try btf.append(BTFRawType(kind: .functionProto, vlen: kfuncParameters, sizeOrType: voidPointer,
                                              trailing: Array(repeating: [objName, voidPointer], count: kfuncParameters).flatMap { $0 }))
        let name = btf.addString("bpf_cast_to_kern_ctx")
        try btf.append(BTFRawType(kind: .function, nameOffset: name, vlen: 1, sizeOrType: proto))
        if withPercpu {
            let intName = btf.addString("int")
            let int = try btf.append(BTFRawType(kind: .int, nameOffset: intName, sizeOrType: 4, trailing: [1 << 24 | 32]))
            let varName = btf.addString("swift_xdp_no_such_percpu")
            try btf.append(BTFRawType(kind: .variable, nameOffset: varName, sizeOrType: int, trailing: [1]))
        }
        return btf
    }

    func resolve(config: [String: String] = config, release: String = release,
                 symbols: [String: UInt64] = ["_text": textAddress],
                 kernelBTF: BTF? = nil) throws -> ExternResolution {
        try ExternResolver.resolve(try ExternTestSupport.externsObject(), config: config, release: release,
                                   symbols: symbols, kernelBTF: kernelBTF ?? Self.kernelBTF())
    }

    @Test func fixtureResolvesAgainstAMadeUpKernel() throws {
        let resolution = try resolve()
        #expect(resolution.values == [
            "CONFIG_HZ": .mapValue(offset: 0),
            "LINUX_KERNEL_VERSION": .mapValue(offset: 4),
            "CONFIG_BPF_SYSCALL": .mapValue(offset: 8),
            "CONFIG_SWIFT_XDP_NO_SUCH_OPTION": .mapValue(offset: 9),
            "_text": .address(Self.textAddress),
            "swift_xdp_no_such_percpu": .zero,
            "bpf_cast_to_kern_ctx": .kfunc(btfID: 3),
        ])
        let map = try #require(resolution.kconfigMap)
        #expect(map.name == ".kconfig")
        #expect(map.origin == .kconfig)
        #expect(map.type == .array)
        #expect(map.keySize == 4)
        #expect(map.valueSize == 10)
        #expect(map.maxEntries == 1)
        #expect(map.flags == [.readOnlyProgram, .mmapable])
        let object = try ExternTestSupport.externsObject()
        #expect(map.valueTypeID == object.btf?.dataSection(named: ".kconfig")?.id)
        // CONFIG_HZ 1000, KERNEL_VERSION(5, 10, 255), CONFIG_BPF_SYSCALL y, absent weak option 0.
        #expect(map.initialData == [0xe8, 0x03, 0, 0, 0xff, 0x0a, 0x05, 0x00, 1, 0])
    }

    @Test func requirementsNameWhatTheKernelMustProvide() throws {
        let needs = ExternResolver.requirements(of: try ExternTestSupport.externsObject())
        #expect(needs == ExternRequirements(needsConfig: true, needsRelease: true, symbolNames: ["_text"],
                                            needsKernelBTF: true))
        let none = ExternResolver.requirements(of: try ExternTestSupport.fixture("global_data.bpf.o"))
        #expect(none.isEmpty)
    }

    @Test func weakExternsDefaultToZero() throws {
        let resolution = try resolve(config: ["CONFIG_BPF_SYSCALL": "y"])
        #expect(resolution.kconfigMap?.initialData == [0, 0, 0, 0, 0xff, 0x0a, 0x05, 0x00, 1, 0])
        let withPercpu = try resolve(kernelBTF: try Self.kernelBTF(withPercpu: true))
        #expect(withPercpu["swift_xdp_no_such_percpu"] == .btfID(5))
    }

    @Test func strongExternsThatAreMissingAreNamedErrors() throws {
        let config = #expect(throws: ExternError.self) { try resolve(config: ["CONFIG_HZ": "100"]) }
        #expect(config == ExternError(name: "CONFIG_BPF_SYSCALL", kind: .kconfig, reason: .notFound(source: "the kernel config")))
        #expect(config?.description == "extern CONFIG_BPF_SYSCALL (kconfig): not found in the kernel config (and not __weak)")

        let symbol = #expect(throws: ExternError.self) { try resolve(symbols: [:]) }
        #expect(symbol == ExternError(name: "_text", kind: .ksym, reason: .notFound(source: "/proc/kallsyms")))

        let emptyKernel = BTF(order: .little)
        let kfunc = #expect(throws: ExternError.self) { try resolve(kernelBTF: emptyKernel) }
        #expect(kfunc == ExternError(name: "bpf_cast_to_kern_ctx", kind: .kfunc, reason: .notFound(source: "vmlinux BTF")))

        let noBTF = #expect(throws: ExternError.self) {
            try ExternResolver.resolve(try ExternTestSupport.externsObject(), config: Self.config, release: Self.release,
                                       symbols: ["_text": 1], kernelBTF: nil)
        }
        #expect(noBTF?.reason == .noKernelBTF)
    }

    @Test func badValuesAndReleasesAreNamedErrors() throws {
        let bool = #expect(throws: ExternError.self) { try resolve(config: ["CONFIG_BPF_SYSCALL": "m"]) }
        #expect(bool?.name == "CONFIG_BPF_SYSCALL")
        let range = #expect(throws: ExternError.self) {
            try resolve(config: ["CONFIG_BPF_SYSCALL": "y", "CONFIG_HZ": "0x100000000"])
        }
        #expect(range == ExternError(name: "CONFIG_HZ", kind: .kconfig, reason: .valueOutOfRange(value: "0x100000000", size: 4)))
        let negative = try resolve(config: ["CONFIG_BPF_SYSCALL": "y", "CONFIG_HZ": "-5"])
        #expect(negative.kconfigMap?.initialData?.prefix(4) == [0xfb, 0xff, 0xff, 0xff])
        let release = #expect(throws: ExternError.self) { try resolve(release: "6.18") }
        #expect(release == ExternError(name: "LINUX_KERNEL_VERSION", kind: .kconfig, reason: .badRelease("6.18")))
    }

    @Test func incompatibleKfuncPrototypeIsRejected() throws {
        let error = #expect(throws: ExternError.self) { try resolve(kernelBTF: try Self.kernelBTF(kfuncParameters: 2)) }
        guard case .incompatibleType? = error?.reason else {
            Issue.record("expected incompatible types, got \(String(describing: error))")
            return
        }
    }

    @Test func incompatibleTypedKsymIsRejectedEvenWhenWeak() throws {
        // libbpf refuses a typed ksym whose kernel type differs, __weak or not.
        var btf = try Self.kernelBTF()
        let structName = btf.addString("percpu_stats")
        let structure = try btf.append(BTFRawType(kind: .structure, nameOffset: structName, sizeOrType: 8))
        let varName = btf.addString("swift_xdp_no_such_percpu")
        try btf.append(BTFRawType(kind: .variable, nameOffset: varName, sizeOrType: structure, trailing: [1]))
        let error = #expect(throws: ExternError.self) { try resolve(kernelBTF: btf) }
        #expect(error == ExternError(name: "swift_xdp_no_such_percpu", kind: .ksym,
                                     reason: .incompatibleType(local: "const int", kernel: "struct percpu_stats")))
    }

    @Test func objectsWithoutExternsNeedNothing() throws {
        for url in try FileManager.default.contentsOfDirectory(atPath: ExternTestSupport.root.appendingPathComponent("Fixtures").path)
        where url.hasSuffix(".o") && url != "externs.bpf.o" {
            let object = try ExternTestSupport.fixture(url)
            let resolution = try ExternResolver.resolve(object, config: [:], release: "", symbols: [:], kernelBTF: nil)
            #expect(resolution.kconfigMap == nil, "\(url)")
            #expect(resolution.values.isEmpty, "\(url)")
        }
    }

    @Test func essentialNamesDropFlavourSuffixes() {
        #expect(ExternResolver.essentialName("bpf_cast_to_kern_ctx") == "bpf_cast_to_kern_ctx")
        #expect(ExternResolver.essentialName("bpf_rdonly_cast___v2") == "bpf_rdonly_cast")
        #expect(ExternResolver.essentialName("a___b___c") == "a___b")
        #expect(ExternResolver.essentialName("x____y") == "x____y")
        #expect(ExternResolver.essentialName("___x") == "___x")
    }

    // MARK: - Relocation

    @Test func relocatorPatchesEveryExternUseLikeLibbpf() throws {
        let object = try ExternTestSupport.externsObject()
        let linked = try object.link(try #require(object.program(named: "xdp_externs")))
        let resolution = try resolve()
        let patched = try ExternRelocator.apply(linked, resolution: resolution, kconfigMapFD: 42)
        #expect(patched.count == linked.instructions.count)
        // The same instruction indices as `llvm-objdump -dr` and libbpf's xlated dump show.
        #expect(patched[2] == Instruction(code: 0x18, dst: 3, src: 0, immediate: Int32(bitPattern: 0x8100_0000)))
        #expect(patched[3].immediate == -1)
        for (index, offset) in [(5, 4), (11, 0), (24, 8), (28, 9)] {
            #expect(patched[index].src == BPFPseudo.mapValue, "insn \(index)")
            #expect(patched[index].immediate == 42, "insn \(index)")
            #expect(patched[index + 1].immediate == Int32(offset), "insn \(index)")
        }
        #expect(patched[18].src == 0 && patched[18].immediate == 0 && patched[19].immediate == 0)
        #expect(patched[21] == Instruction(code: 0x85, src: BPFPseudo.kernelFunctionCall, offset: 0, immediate: 3))
        // Map relocations (.bss) are left for MapRelocator.
        #expect(patched[0] == linked.instructions[0])
        #expect(patched[8] == linked.instructions[8])
        let changed = patched.indices.filter { patched[$0] != linked.instructions[$0] }
        #expect(changed == [2, 3, 5, 6, 11, 24, 25, 28, 29, 21].sorted())
    }

    @Test func typedKsymsAndWeakKfuncsArePatched() throws {
        let object = try ExternTestSupport.externsObject()
        let linked = try object.link(try #require(object.program(named: "xdp_externs")))
        var resolution = try resolve(kernelBTF: try Self.kernelBTF(withPercpu: true))
        resolution.values["bpf_cast_to_kern_ctx"] = .zero
        let patched = try ExternRelocator.apply(linked, resolution: resolution, kconfigMapFD: 7)
        #expect(patched[18].src == BPFPseudo.btfID)
        #expect(patched[18].immediate == 5)
        #expect(patched[19].immediate == 0)
        #expect(patched[21] == Instruction(code: 0x85, src: BPFPseudo.kernelFunctionCall, offset: 0, immediate: 0))
    }

    @Test func relocatorFailuresNameTheInstruction() throws {
        let object = try ExternTestSupport.externsObject()
        let linked = try object.link(try #require(object.program(named: "xdp_externs")))
        var resolution = try resolve()
        let noFD = #expect(throws: ExternRelocator.Failure.self) {
            try ExternRelocator.apply(linked, resolution: resolution, kconfigMapFD: nil)
        }
        #expect(noFD?.instruction == 5)
        resolution.values["bpf_cast_to_kern_ctx"] = .address(1)
        let notKfunc = #expect(throws: ExternRelocator.Failure.self) {
            try ExternRelocator.apply(linked, resolution: resolution, kconfigMapFD: 3)
        }
        #expect(notKfunc?.instruction == 21)
        resolution.values["_text"] = nil
        let unresolved = #expect(throws: ExternRelocator.Failure.self) {
            try ExternRelocator.apply(linked, resolution: resolution, kconfigMapFD: 3)
        }
        #expect(unresolved?.description == "relocate xdp_externs insn 2: extern '_text' is not resolved")
        let short = #expect(throws: ExternRelocator.Failure.self) {
            try ExternRelocator.apply(linked, to: Array(linked.instructions.prefix(3)), resolution: try resolve(),
                                      kconfigMapFD: 3)
        }
        #expect(short?.instruction == 2)  // _text's ld_imm64 needs slots 2 and 3
    }

    // MARK: - BTF rewrite

    @Test func btfFixupShapesExternSectionsLikeLibbpf() throws {
        let object = try ExternTestSupport.externsObject()
        var btf = try #require(object.btf)
        let layout = try KconfigLayout(object: object)
        try ExternBTFFixup.apply(to: &btf, layout: layout)

        let kconfig = try #require(btf.dataSection(named: ".kconfig")).section
        #expect(kconfig.size == 10)
        #expect(kconfig.variables.map { btf.name(of: $0.type) } == ["CONFIG_HZ", "LINUX_KERNEL_VERSION",
                                                                     "CONFIG_BPF_SYSCALL", "CONFIG_SWIFT_XDP_NO_SUCH_OPTION"])
        #expect(kconfig.variables.map(\.offset) == [0, 4, 8, 9])
        #expect(kconfig.variables.map(\.size) == [4, 4, 1, 1])

        let ksyms = try #require(btf.dataSection(named: ".ksyms")).section
        #expect(ksyms.size == 12)
        #expect(ksyms.variables.map { btf.name(of: $0.type) } == ["dummy_ksym", "_text", "swift_xdp_no_such_percpu"])
        #expect(ksyms.variables.map(\.offset) == [0, 4, 8])
        #expect(ksyms.variables.allSatisfy { $0.size == 4 })

        for id in btf.typeIDs {
            switch btf.type(id) {
            case let .variable(variable)?:
                #expect(variable.linkage != .external, "VAR \(variable.name)")
            case let .function(function)?:
                #expect(function.linkage != .external, "FUNC \(function.name)")
                if case let .functionProto(proto)? = btf.type(function.prototype) {
                    #expect(proto.parameters.allSatisfy { !$0.name.isEmpty || $0.type == 0 })
                }
            default:
                break
            }
        }
        // _text now has the first 32-bit INT (id 4, unsigned int) as its type, as in libbpf.
        #expect(btf.variable(try #require(btf.typeID(named: "_text", kind: .variable)))?.type == 4)
        let dummy = try #require(btf.typeID(named: "dummy_ksym", kind: .variable))
        #expect(dummy == BTFTypeID(object.btf!.typeCount + 1))
        // The rewritten BTF still parses.
        #expect(try BTF(bytes: btf.encoded()).encoded() == btf.encoded())
    }
}
