/// The `prog_flags` of `BPF_PROG_LOAD`: mirrors the `BPF_F_*` program-load flags of
/// linux/bpf.h (`BPF_F_STRICT_ALIGNMENT` … `BPF_F_TOKEN_FD`).
public struct BPFProgramFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The kernel's bit mask.
    public let rawValue: UInt32

    /// Wraps a kernel bit mask.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_F_STRICT_ALIGNMENT` (1 << 0): verify alignment as if on a strict-alignment CPU.
    public static let strictAlignment = BPFProgramFlags(rawValue: 1 << 0)
    /// `BPF_F_ANY_ALIGNMENT` (1 << 1): skip alignment checks (testing).
    public static let anyAlignment = BPFProgramFlags(rawValue: 1 << 1)
    /// `BPF_F_TEST_RND_HI32` (1 << 2): randomise upper halves of 32-bit results (testing).
    public static let testRandomHigh32 = BPFProgramFlags(rawValue: 1 << 2)
    /// `BPF_F_TEST_STATE_FREQ` (1 << 3): verifier state-pruning stress test.
    public static let testStateFrequency = BPFProgramFlags(rawValue: 1 << 3)
    /// `BPF_F_SLEEPABLE` (1 << 4): the program may sleep (`.s` sections, `syscall`).
    public static let sleepable = BPFProgramFlags(rawValue: 1 << 4)
    /// `BPF_F_XDP_HAS_FRAGS` (1 << 5): the XDP program handles multi-buffer packets (`xdp.frags`).
    public static let xdpHasFrags = BPFProgramFlags(rawValue: 1 << 5)
    /// `BPF_F_XDP_DEV_BOUND_ONLY` (1 << 6): the XDP program is bound to one device.
    public static let xdpDeviceBoundOnly = BPFProgramFlags(rawValue: 1 << 6)
    /// `BPF_F_TEST_REG_INVARIANTS` (1 << 7): check register-bound invariants (testing).
    public static let testRegisterInvariants = BPFProgramFlags(rawValue: 1 << 7)
    /// `BPF_F_TOKEN_FD` (1 << 16): `prog_token_fd` holds a BPF token.
    public static let tokenFD = BPFProgramFlags(rawValue: 1 << 16)

    /// The mask in hexadecimal (`0x20`), as bpftool prints `prog_flags`.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}

/// What kind of program a `SEC("…")` name declares, following libbpf's section-name
/// conventions (libbpf's `section_defs` table; see ``ProgramKind/forSection(_:)``).
///
/// Everything a loader needs to load a program from that section: its `prog_type`, the
/// `expected_attach_type` and `prog_flags` to pass to `BPF_PROG_LOAD`, and whether the section
/// name may carry a target after a slash (`SEC("kprobe/do_unlinkat")`).
public struct ProgramKind: Sendable, Hashable, CustomStringConvertible {
    /// The section name (or, when ``acceptsTarget``, the part before the `/`), e.g. `"xdp"`,
    /// `"xdp.frags/devmap"`, `"kprobe"`, `"cgroup/connect4"`.
    public let label: String
    /// The `prog_type` to load with.
    public let programType: BPFProgramType
    /// The `expected_attach_type` to load with, or nil when the program type takes none (0 is
    /// passed then). Note that `BPF_CGROUP_INET_INGRESS` is also 0 but is a real value here.
    public let expectedAttachType: BPFAttachType?
    /// True when the kernel may not know ``expectedAttachType`` for this program type (old
    /// kernels did not check it), so libbpf drops it on kernels without support; the attach
    /// type then only matters for attaching (libbpf's `SEC_EXP_ATTACH_OPT`).
    public let expectedAttachTypeIsOptional: Bool
    /// The `prog_flags` to load with (`BPF_F_SLEEPABLE`, `BPF_F_XDP_HAS_FRAGS`).
    public let programFlags: BPFProgramFlags
    /// True when the section name may be followed by `/target` (`kprobe/do_unlinkat`,
    /// `fentry/tcp_connect`, `struct_ops/name`); false when it must match ``label`` exactly.
    public let acceptsTarget: Bool
    /// True when loading needs a BTF id of the attach target (`attach_btf_id`), found from the
    /// `/target` part of the section name (fentry, fexit, fmod_ret, tp_btf, lsm, iter, freplace;
    /// libbpf's `SEC_ATTACH_BTF`).
    public let needsBTFAttachTarget: Bool

    /// Creates a kind (the table in SectionDefinitions.swift lists libbpf's kinds).
    public init(label: String, programType: BPFProgramType, expectedAttachType: BPFAttachType? = nil,
                expectedAttachTypeIsOptional: Bool = false, programFlags: BPFProgramFlags = [],
                acceptsTarget: Bool = false, needsBTFAttachTarget: Bool = false) {
        self.label = label
        self.programType = programType
        self.expectedAttachType = expectedAttachType
        self.expectedAttachTypeIsOptional = expectedAttachTypeIsOptional
        self.programFlags = programFlags
        self.acceptsTarget = acceptsTarget
        self.needsBTFAttachTarget = needsBTFAttachTarget
    }

    /// True when the program may sleep (`BPF_F_SLEEPABLE` in ``programFlags``).
    public var isSleepable: Bool { programFlags.contains(.sleepable) }

    /// The program kind declared by section `name`, or nil if libbpf would not recognise it.
    ///
    /// A kind matches when `name` equals its ``label``, or, for kinds that ``acceptsTarget``,
    /// when `name` is the label followed by `/` and anything (libbpf's `"label+"` patterns).
    /// Names are case-sensitive. Unknown sections are not an error here: the object model keeps
    /// and reports them.
    public static func forSection(_ name: String) -> ProgramKind? {
        if let exact = SectionDefinitions.byLabel[name] {
            return exact
        }
        guard let slash = name.firstIndex(of: "/"),
              let kind = SectionDefinitions.byLabel[String(name[..<slash])], kind.acceptsTarget else {
            return nil
        }
        return kind
    }

    /// The attach target named after the first `/` of section `name` (`"do_unlinkat"` for
    /// `"kprobe/do_unlinkat"`), when `name` declares a kind that ``acceptsTarget``; nil when
    /// there is none (or it is empty).
    public static func attachTarget(inSection name: String) -> String? {
        guard let kind = forSection(name), kind.acceptsTarget, name != kind.label,
              let slash = name.firstIndex(of: "/") else { return nil }
        let target = name[name.index(after: slash)...]
        return target.isEmpty ? nil : String(target)
    }

    /// Every kind libbpf knows, in the order of its table.
    public static var all: [ProgramKind] { SectionDefinitions.table }

    /// A one-line summary, e.g. `xdp.frags: XDP, attach XDP, frags`.
    public var description: String {
        var text = "\(label)\(acceptsTarget ? "[/target]" : ""): \(programType)"
        if let expectedAttachType {
            text += ", attach \(expectedAttachType)\(expectedAttachTypeIsOptional ? " (optional)" : "")"
        }
        if programFlags.contains(.sleepable) { text += ", sleepable" }
        if programFlags.contains(.xdpHasFrags) { text += ", frags" }
        return text
    }
}
