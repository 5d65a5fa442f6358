import Foundation
import Testing
@testable import BPFObject

/// The SEC() name table: libbpf's conventions, the enum values against the kernel header, and
/// (when libbpf-dev is installed) a live comparison with `libbpf_prog_type_by_name()`.
@Suite struct ProgramKindTests {
    private func kind(_ name: String) throws -> ProgramKind {
        try #require(ProgramKind.forSection(name), "\(name) should be recognised")
    }

    @Test func xdpVariants() throws {
        let xdp = try kind("xdp")
        #expect(xdp.programType == .xdp && xdp.expectedAttachType == .xdp && xdp.expectedAttachType?.rawValue == 37)
        #expect(xdp.programFlags.isEmpty && xdp.expectedAttachTypeIsOptional && !xdp.acceptsTarget)
        let frags = try kind("xdp.frags")
        #expect(frags.programType == .xdp && frags.expectedAttachType == .xdp)
        #expect(frags.programFlags == .xdpHasFrags && frags.programFlags.rawValue == 1 << 5)
        #expect(try kind("xdp/devmap").expectedAttachType == .xdpDevmap)
        #expect(try kind("xdp/cpumap").expectedAttachType == .xdpCpumap)
        for name in ["xdp.frags/devmap", "xdp.frags/cpumap"] {
            #expect(try kind(name).programFlags == .xdpHasFrags)
        }
        #expect(try kind("xdp.frags/devmap").expectedAttachType == .xdpDevmap)
        #expect(try kind("xdp.frags/cpumap").expectedAttachType == .xdpCpumap)
        // libbpf 1.x no longer accepts anything after "xdp" except these.
        for name in ["xdp/foo", "xdp_prog", "xdp.frags/foo", "xdp/devmap/x", "XDP", "xdp ", "xdp_devmap/x"] {
            #expect(ProgramKind.forSection(name) == nil, "\(name)")
        }
    }

    @Test func tcAndNetworking() throws {
        #expect(try kind("tc").programType == .schedCls && kind("tc").expectedAttachType == nil)
        #expect(try kind("classifier").programType == .schedCls)
        #expect(try kind("action").programType == .schedAct)
        #expect(try kind("tc/ingress").expectedAttachType == .tcxIngress)
        #expect(try kind("tcx/egress").expectedAttachType == .tcxEgress)
        #expect(try kind("netkit/peer").expectedAttachType == .netkitPeer)
        #expect(ProgramKind.forSection("tc/foo") == nil && ProgramKind.forSection("tcx") == nil)
        #expect(try kind("socket").programType == .socketFilter && kind("socket").expectedAttachType == nil)
        #expect(ProgramKind.forSection("socket/1") == nil)
        #expect(try kind("sk_reuseport/migrate").expectedAttachType == .skReuseportSelectOrMigrate)
        #expect(try kind("sk_skb/stream_verdict").expectedAttachType == .skSkbStreamVerdict)
        #expect(try kind("sk_lookup").programType == .skLookup)
        #expect(try kind("lwt_seg6local").programType == .lwtSeg6local)
        #expect(try kind("netfilter").expectedAttachType == .netfilter)
    }

    @Test func cgroupHooks() throws {
        #expect(try kind("cgroup_skb/ingress").expectedAttachType == .cgroupInetIngress)
        #expect(try kind("cgroup_skb/ingress").expectedAttachType?.rawValue == 0)   // a real 0
        #expect(try kind("cgroup/skb").expectedAttachType == nil)
        #expect(try kind("cgroup/sock").expectedAttachType == .cgroupInetSockCreate)
        #expect(try kind("cgroup/connect4").programType == .cgroupSockAddr)
        #expect(try kind("cgroup/connect_unix").expectedAttachType == .cgroupUnixConnect)
        #expect(try kind("cgroup/sendmsg6").expectedAttachType == .cgroupUdp6Sendmsg)
        #expect(try kind("cgroup/recvmsg_unix").expectedAttachType == .cgroupUnixRecvmsg)
        #expect(try kind("cgroup/getsockname_unix").expectedAttachType == .cgroupUnixGetsockname)
        #expect(try kind("cgroup/setsockopt").programType == .cgroupSockopt)
        #expect(try kind("cgroup/dev").programType == .cgroupDevice)
        #expect(try kind("cgroup/sysctl").expectedAttachType == .cgroupSysctl)
        #expect(!(try kind("cgroup/bind4").expectedAttachTypeIsOptional))
        #expect(ProgramKind.forSection("cgroup/connect4/x") == nil && ProgramKind.forSection("cgroup") == nil)
    }

    @Test func probeFamily() throws {
        for name in ["kprobe", "kprobe/do_unlinkat", "kretprobe/do_unlinkat", "uprobe//bin/bash:readline",
                     "uretprobe/x", "ksyscall/openat", "kretsyscall/openat", "usdt/x", "kprobe/"] {
            let found = try kind(name)
            #expect(found.programType == .kprobe && found.expectedAttachType == nil && !found.isSleepable, "\(name)")
        }
        #expect(try kind("uprobe.s/x").isSleepable)
        #expect(try kind("kprobe.multi/tcp_*").expectedAttachType == .traceKprobeMulti)
        #expect(try kind("kretprobe.multi").expectedAttachType == .traceKprobeMulti)
        #expect(try kind("kprobe.session/x").expectedAttachType == .traceKprobeSession)
        #expect(try kind("uprobe.multi/x").expectedAttachType == .traceUprobeMulti)
        #expect(try kind("uprobe.multi.s/x").isSleepable)
        #expect(ProgramKind.forSection("kprobex") == nil && ProgramKind.forSection("kprobe.foo") == nil)
        #expect(ProgramKind.forSection("/kprobe") == nil)
    }

    @Test func tracingFamily() throws {
        #expect(try kind("tracepoint/syscalls/sys_enter_openat").programType == .tracepoint)
        #expect(try kind("tp/sched/sched_switch").programType == .tracepoint)
        #expect(try kind("raw_tp/sys_enter").programType == .rawTracepoint)
        #expect(try kind("raw_tracepoint.w/x").programType == .rawTracepointWritable)
        let fentry = try kind("fentry/tcp_connect")
        #expect(fentry.programType == .tracing && fentry.expectedAttachType == .traceFentry && fentry.needsBTFAttachTarget)
        #expect(try kind("fentry.s/x").isSleepable && kind("fentry.s/x").needsBTFAttachTarget)
        #expect(try kind("fexit/func").expectedAttachType == .traceFexit)    // xdpdump's section
        #expect(try kind("fmod_ret/x").expectedAttachType == .modifyReturn)
        #expect(try kind("tp_btf/sched_switch").expectedAttachType == .traceRawTp)
        #expect(try kind("freplace/xdp_dispatcher").programType == .ext)
        #expect(try kind("lsm.s/file_open").expectedAttachType == .lsmMac && kind("lsm.s/file_open").isSleepable)
        #expect(try kind("lsm_cgroup/x").expectedAttachType == .lsmCgroup)
        #expect(try kind("iter/task").expectedAttachType == .traceIter)
        #expect(try kind("struct_ops/tcp_ca_init").programType == .structOps)
        #expect(try kind("struct_ops.s/x").isSleepable)
        #expect(try kind("syscall").isSleepable && kind("syscall").programType == .syscall)
        #expect(try kind("perf_event").programType == .perfEvent)
    }

    @Test func attachTargets() {
        #expect(ProgramKind.attachTarget(inSection: "kprobe/do_unlinkat") == "do_unlinkat")
        #expect(ProgramKind.attachTarget(inSection: "uprobe//bin/bash:readline") == "/bin/bash:readline")
        #expect(ProgramKind.attachTarget(inSection: "tp/sched/sched_switch") == "sched/sched_switch")
        #expect(ProgramKind.attachTarget(inSection: "kprobe") == nil)
        #expect(ProgramKind.attachTarget(inSection: "kprobe/") == nil)
        #expect(ProgramKind.attachTarget(inSection: "xdp/devmap") == nil)     // part of the name
        #expect(ProgramKind.attachTarget(inSection: "nope/x") == nil)
    }

    @Test func unknownNames() {
        for name in ["", "/", ".text", "license", "maps", ".maps", "prog", "seccomp", "xdp_sock", "sk_skb/x",
                     "socket_filter", "cgroup/sock_ops", "tracepoint.w/x", "kprobe.multi.s/x"] {
            #expect(ProgramKind.forSection(name) == nil, "\(name)")
        }
    }

    @Test func tableIsConsistent() {
        let all = ProgramKind.all
        #expect(all.count == Set(all.map(\.label)).count)
        #expect(all.count == 116)      // entries of libbpf's section_defs (mid-2026)
        for kind in all {
            #expect(ProgramKind.forSection(kind.label) == kind, "\(kind.label)")
            if kind.acceptsTarget {
                #expect(!kind.label.contains("/"), "\(kind.label)")
                #expect(ProgramKind.forSection(kind.label + "/target") == kind)
            } else {
                #expect(ProgramKind.forSection(kind.label + "/target") == nil, "\(kind.label)")
            }
            #expect(!kind.programFlags.contains(.xdpHasFrags) || kind.programType == .xdp)
            #expect(!kind.expectedAttachTypeIsOptional || kind.expectedAttachType != nil)
            #expect(kind.programType.name != "\(kind.programType.rawValue)", "named type for \(kind.label)")
            #expect(kind.expectedAttachType.map { $0.name != "\($0.rawValue)" } ?? true)
        }
        #expect(ProgramKind.forSection("xdp.frags")!.description == "xdp.frags: XDP, attach XDP, frags")
    }

    // MARK: Against references

    static let uapiHeader = "/usr/include/linux/bpf.h"

    /// Reads `enum <name> { A, B, … }` from the header: names in declaration order (values 0, 1, …).
    static func headerEnum(_ name: String) throws -> [String] {
        let header = try String(contentsOfFile: uapiHeader, encoding: .utf8)
        guard let start = header.range(of: "enum \(name) {"),
              let end = header.range(of: "};", range: start.upperBound..<header.endIndex) else { return [] }
        return header[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
            let name = line.trimmingCharacters(in: .whitespaces).split(separator: ",").first.map(String.init) ?? ""
            return name.hasPrefix("BPF_") || name.hasPrefix("__MAX") ? name : nil
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: uapiHeader)))
    func enumValuesMatchHeader() throws {
        let programTypes = try Self.headerEnum("bpf_prog_type").filter { !$0.hasPrefix("__") }
        #expect(programTypes.count >= 30)
        for (value, name) in programTypes.enumerated() {
            #expect("BPF_PROG_TYPE_" + (BPFProgramType.names[UInt32(value)] ?? "?") == name)
        }
        let attachTypes = try Self.headerEnum("bpf_attach_type").filter { !$0.hasPrefix("__") }
        #expect(attachTypes.count >= 40)
        for (value, name) in attachTypes.enumerated() {
            #expect("BPF_" + (BPFAttachType.names[UInt32(value)] ?? "?") == name)
        }
        #expect(BPFAttachType.xdp.rawValue == 37 && BPFProgramType.xdp.rawValue == 6)
    }

    /// Asks the installed libbpf (`libbpf_prog_type_by_name`, Debian 12 ships 1.1.2) about
    /// every name we know plus names we reject, and compares program and attach types. libbpf
    /// 1.1 predates some sections (tcx, netkit, sessions…), which it does not recognise: those
    /// are skipped; every name it does recognise must agree with our table.
    @Test(.enabled(if: ReferenceTools.hasLibbpf, "needs cc and libbpf-dev"))
    func agreesWithInstalledLibbpf() throws {
        let directory = try ReferenceTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("secdef.c")
        let binary = directory.appendingPathComponent("secdef")
        try """
        #include <stdio.h>
        #include <string.h>
        #include <bpf/libbpf.h>
        static int quiet(enum libbpf_print_level level, const char *format, va_list args) { return 0; }
        int main(void) {
            char line[512];
            libbpf_set_print(quiet);
            while (fgets(line, sizeof line, stdin)) {
                enum bpf_prog_type type; enum bpf_attach_type attach;
                line[strcspn(line, "\\n")] = 0;
                if (libbpf_prog_type_by_name(line, &type, &attach) == 0)
                    printf("%s\\t%d\\t%d\\n", line, (int)type, (int)attach);
                else
                    printf("%s\\t-\\t-\\n", line);
            }
            return 0;
        }
        """.write(to: source, atomically: true, encoding: .utf8)
        try ReferenceTools.run(ReferenceTools.cc, [source.path, "-lbpf", "-o", binary.path])

        var names = ProgramKind.all.map(\.label)
        names += ProgramKind.all.filter(\.acceptsTarget).map { $0.label + "/target" }
        names += ["xdp/foo", "xdp_devmap/x", "xdp_cpumap/x", "sk_skb/x", "kprobe.foo", "perf_event/x",
                  "cgroup/sock_ops", "classifier/x", "tc/x", "socket/x", "seccomp", "sockops/x"]
        let output = try ReferenceTools.run(binary.path, [], input: names.joined(separator: "\n") + "\n")
        var agreed = 0
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 3)
            let ours = ProgramKind.forSection(fields[0])
            guard let type = UInt32(fields[1]), let attach = UInt32(fields[2]) else {
                continue   // libbpf 1.1 does not know this name
            }
            let found = try #require(ours, "libbpf knows \(fields[0]), we do not")
            #expect(found.programType.rawValue == type, "\(fields[0]) program type")
            #expect((found.expectedAttachType?.rawValue ?? 0) == attach, "\(fields[0]) attach type")
            agreed += 1
        }
        #expect(agreed > 100)
    }
}
