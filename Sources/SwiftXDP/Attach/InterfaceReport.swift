/// What `swift-xdp status` shows for one interface: the XDP mode and, for each attached
/// program, its kernel info (name, tag, type) and its maps.
public struct InterfaceReport: Sendable {
    /// One attached program.
    public struct AttachedProgram: Sendable {
        /// The mode it is attached in.
        public var mode: XDPMode
        /// `bpf_prog_info` of the program.
        public var info: BPFProgramInfo
        /// `bpf_map_info` of each map it uses.
        public var maps: [BPFMapInfo]
    }

    /// The interface.
    public var interface: NetworkInterface
    /// Attached programs (one, or several in multi mode).
    public var programs: [AttachedProgram]

    /// Reports on `interface`: opens each attached program by id (`BPF_PROG_GET_FD_BY_ID`)
    /// and reads its info and its maps' info.
    public static func make(for interface: NetworkInterface) throws -> InterfaceReport {
        var programs: [AttachedProgram] = []
        let status = interface.xdp
        for mode in [XDPMode.native, .generic, .offload] {
            guard let id = status.programID(for: mode), id != 0 else { continue }
            let program = try BPFProgram(adopting: BPFObjectKind.program.open(id: id))
            defer { program.close() }
            let info = try program.info(details: true)
            var maps: [BPFMapInfo] = []
            for mapID in info.mapIDs {
                let map = try BPFMap(adopting: BPFObjectKind.map.open(id: mapID))
                defer { map.close() }
                maps.append(try map.info())
            }
            programs.append(AttachedProgram(mode: mode, info: info, maps: maps))
        }
        return InterfaceReport(interface: interface, programs: programs)
    }
}
