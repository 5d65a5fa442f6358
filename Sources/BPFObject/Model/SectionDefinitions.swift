// The table of SEC() names a loader recognises, following libbpf's conventions (libbpf 1.x
// `section_defs`, as of mid-2026). Each entry says which program type and expected attach type
// a section declares, which load flags it implies, and whether a "/target" may follow.
//
// Matching (ProgramKind.forSection) is by exact name, or by the part before the first "/" for
// kinds that accept a target. No label that accepts a target contains "/", and no two labels
// are equal, so the outcome does not depend on the order of the table.

/// libbpf's section-name table, as ``ProgramKind`` values.
enum SectionDefinitions {
    /// Every kind, grouped by family.
    static let table: [ProgramKind] =
        network + probes + tracepoints + btfTracing + cgroups + others

    /// Kinds by ``ProgramKind/label``.
    static let byLabel: [String: ProgramKind] = {
        var result: [String: ProgramKind] = [:]
        for kind in table {
            precondition(result[kind.label] == nil, "duplicate section label \(kind.label)")
            result[kind.label] = kind
        }
        return result
    }()

    // MARK: Builders (one line per entry below)

    /// A section that must match exactly.
    private static func exact(_ label: String, _ type: BPFProgramType, _ attach: BPFAttachType? = nil,
                              optionalAttach: Bool = false, flags: BPFProgramFlags = []) -> ProgramKind {
        ProgramKind(label: label, programType: type, expectedAttachType: attach,
                    expectedAttachTypeIsOptional: optionalAttach, programFlags: flags)
    }

    /// A section that may be followed by "/target".
    private static func target(_ label: String, _ type: BPFProgramType, _ attach: BPFAttachType? = nil,
                               sleepable: Bool = false, btf: Bool = false) -> ProgramKind {
        ProgramKind(label: label, programType: type, expectedAttachType: attach,
                    programFlags: sleepable ? .sleepable : [], acceptsTarget: true, needsBTFAttachTarget: btf)
    }

    // MARK: Families

    /// XDP, tc/tcx/netkit, sockets, lightweight tunnels.
    static let network: [ProgramKind] = [
        exact("xdp", .xdp, .xdp, optionalAttach: true),
        exact("xdp.frags", .xdp, .xdp, flags: .xdpHasFrags),
        exact("xdp/devmap", .xdp, .xdpDevmap),
        exact("xdp.frags/devmap", .xdp, .xdpDevmap, flags: .xdpHasFrags),
        exact("xdp/cpumap", .xdp, .xdpCpumap),
        exact("xdp.frags/cpumap", .xdp, .xdpCpumap, flags: .xdpHasFrags),
        exact("tc", .schedCls),                             // legacy tc (netlink) classifier
        exact("classifier", .schedCls),                     // legacy name for "tc"
        exact("action", .schedAct),
        exact("tc/ingress", .schedCls, .tcxIngress),        // alias of tcx/ingress
        exact("tc/egress", .schedCls, .tcxEgress),          // alias of tcx/egress
        exact("tcx/ingress", .schedCls, .tcxIngress),
        exact("tcx/egress", .schedCls, .tcxEgress),
        exact("netkit/primary", .schedCls, .netkitPrimary),
        exact("netkit/peer", .schedCls, .netkitPeer),
        exact("socket", .socketFilter),
        exact("sk_reuseport", .skReuseport, .skReuseportSelect),
        exact("sk_reuseport/migrate", .skReuseport, .skReuseportSelectOrMigrate),
        exact("sk_skb", .skSkb),
        exact("sk_skb/stream_parser", .skSkb, .skSkbStreamParser, optionalAttach: true),
        exact("sk_skb/stream_verdict", .skSkb, .skSkbStreamVerdict, optionalAttach: true),
        exact("sk_skb/verdict", .skSkb, .skSkbVerdict, optionalAttach: true),
        exact("sk_msg", .skMsg, .skMsgVerdict, optionalAttach: true),
        exact("sk_lookup", .skLookup, .skLookup),
        exact("sockops", .sockOps, .cgroupSockOps, optionalAttach: true),
        exact("flow_dissector", .flowDissector, .flowDissector, optionalAttach: true),
        exact("lwt_in", .lwtIn),
        exact("lwt_out", .lwtOut),
        exact("lwt_xmit", .lwtXmit),
        exact("lwt_seg6local", .lwtSeg6local),
        exact("netfilter", .netfilter, .netfilter),
    ]

    /// kprobes, uprobes, syscalls, USDT (all `BPF_PROG_TYPE_KPROBE`).
    static let probes: [ProgramKind] = [
        target("kprobe", .kprobe),
        target("kretprobe", .kprobe),
        target("uprobe", .kprobe),
        target("uretprobe", .kprobe),
        target("uprobe.s", .kprobe, sleepable: true),
        target("uretprobe.s", .kprobe, sleepable: true),
        target("kprobe.multi", .kprobe, .traceKprobeMulti),
        target("kretprobe.multi", .kprobe, .traceKprobeMulti),
        target("kprobe.session", .kprobe, .traceKprobeSession),
        target("uprobe.multi", .kprobe, .traceUprobeMulti),
        target("uretprobe.multi", .kprobe, .traceUprobeMulti),
        target("uprobe.multi.s", .kprobe, .traceUprobeMulti, sleepable: true),
        target("uretprobe.multi.s", .kprobe, .traceUprobeMulti, sleepable: true),
        target("uprobe.session", .kprobe, .traceUprobeSession),
        target("uprobe.session.s", .kprobe, .traceUprobeSession, sleepable: true),
        target("ksyscall", .kprobe),
        target("kretsyscall", .kprobe),
        // USDT: libbpf loads these with BPF_TRACE_UPROBE_MULTI when the kernel has uprobe_multi
        // links, and without an attach type otherwise.
        target("usdt", .kprobe),
        target("usdt.s", .kprobe, sleepable: true),
    ]

    /// Classic and raw tracepoints.
    static let tracepoints: [ProgramKind] = [
        target("tracepoint", .tracepoint),
        target("tp", .tracepoint),
        target("tracepoint.s", .tracepoint, sleepable: true),
        target("tp.s", .tracepoint, sleepable: true),
        target("raw_tracepoint", .rawTracepoint),
        target("raw_tp", .rawTracepoint),
        target("raw_tracepoint.s", .rawTracepoint, sleepable: true),
        target("raw_tp.s", .rawTracepoint, sleepable: true),
        target("raw_tracepoint.w", .rawTracepointWritable),
        target("raw_tp.w", .rawTracepointWritable),
    ]

    /// BTF-based tracing: the target after "/" names a kernel (or BPF) function or type.
    static let btfTracing: [ProgramKind] = [
        target("tp_btf", .tracing, .traceRawTp, btf: true),
        target("tp_btf.s", .tracing, .traceRawTp, sleepable: true, btf: true),
        target("fentry", .tracing, .traceFentry, btf: true),
        target("fentry.s", .tracing, .traceFentry, sleepable: true, btf: true),
        target("fexit", .tracing, .traceFexit, btf: true),
        target("fexit.s", .tracing, .traceFexit, sleepable: true, btf: true),
        target("fmod_ret", .tracing, .modifyReturn, btf: true),
        target("fmod_ret.s", .tracing, .modifyReturn, sleepable: true, btf: true),
        target("fsession", .tracing, .traceFsession, btf: true),
        target("fsession.s", .tracing, .traceFsession, sleepable: true, btf: true),
        target("fentry.multi", .tracing, .traceFentryMulti),
        target("fentry.multi.s", .tracing, .traceFentryMulti, sleepable: true),
        target("fexit.multi", .tracing, .traceFexitMulti),
        target("fexit.multi.s", .tracing, .traceFexitMulti, sleepable: true),
        target("fsession.multi", .tracing, .traceFsessionMulti),
        target("fsession.multi.s", .tracing, .traceFsessionMulti, sleepable: true),
        target("freplace", .ext, btf: true),
        target("lsm", .lsm, .lsmMac, btf: true),
        target("lsm.s", .lsm, .lsmMac, sleepable: true, btf: true),
        target("lsm_cgroup", .lsm, .lsmCgroup, btf: true),
        target("iter", .tracing, .traceIter, btf: true),
        target("iter.s", .tracing, .traceIter, sleepable: true, btf: true),
        target("struct_ops", .structOps),
        target("struct_ops.s", .structOps, sleepable: true),
    ]

    /// cgroup hooks.
    static let cgroups: [ProgramKind] = [
        exact("cgroup_skb/ingress", .cgroupSkb, .cgroupInetIngress, optionalAttach: true),
        exact("cgroup_skb/egress", .cgroupSkb, .cgroupInetEgress, optionalAttach: true),
        exact("cgroup/skb", .cgroupSkb),
        exact("cgroup/sock", .cgroupSock, .cgroupInetSockCreate, optionalAttach: true),
        exact("cgroup/sock_create", .cgroupSock, .cgroupInetSockCreate),
        exact("cgroup/sock_release", .cgroupSock, .cgroupInetSockRelease),
        exact("cgroup/post_bind4", .cgroupSock, .cgroupInet4PostBind),
        exact("cgroup/post_bind6", .cgroupSock, .cgroupInet6PostBind),
        exact("cgroup/bind4", .cgroupSockAddr, .cgroupInet4Bind),
        exact("cgroup/bind6", .cgroupSockAddr, .cgroupInet6Bind),
        exact("cgroup/connect4", .cgroupSockAddr, .cgroupInet4Connect),
        exact("cgroup/connect6", .cgroupSockAddr, .cgroupInet6Connect),
        exact("cgroup/connect_unix", .cgroupSockAddr, .cgroupUnixConnect),
        exact("cgroup/sendmsg4", .cgroupSockAddr, .cgroupUdp4Sendmsg),
        exact("cgroup/sendmsg6", .cgroupSockAddr, .cgroupUdp6Sendmsg),
        exact("cgroup/sendmsg_unix", .cgroupSockAddr, .cgroupUnixSendmsg),
        exact("cgroup/recvmsg4", .cgroupSockAddr, .cgroupUdp4Recvmsg),
        exact("cgroup/recvmsg6", .cgroupSockAddr, .cgroupUdp6Recvmsg),
        exact("cgroup/recvmsg_unix", .cgroupSockAddr, .cgroupUnixRecvmsg),
        exact("cgroup/getpeername4", .cgroupSockAddr, .cgroupInet4Getpeername),
        exact("cgroup/getpeername6", .cgroupSockAddr, .cgroupInet6Getpeername),
        exact("cgroup/getpeername_unix", .cgroupSockAddr, .cgroupUnixGetpeername),
        exact("cgroup/getsockname4", .cgroupSockAddr, .cgroupInet4Getsockname),
        exact("cgroup/getsockname6", .cgroupSockAddr, .cgroupInet6Getsockname),
        exact("cgroup/getsockname_unix", .cgroupSockAddr, .cgroupUnixGetsockname),
        exact("cgroup/sysctl", .cgroupSysctl, .cgroupSysctl),
        exact("cgroup/getsockopt", .cgroupSockopt, .cgroupGetsockopt),
        exact("cgroup/setsockopt", .cgroupSockopt, .cgroupSetsockopt),
        exact("cgroup/dev", .cgroupDevice, .cgroupDevice, optionalAttach: true),
    ]

    /// Everything else.
    static let others: [ProgramKind] = [
        exact("syscall", .syscall, flags: .sleepable),
        exact("lirc_mode2", .lircMode2, .lircMode2, optionalAttach: true),
        exact("perf_event", .perfEvent),
    ]
}
