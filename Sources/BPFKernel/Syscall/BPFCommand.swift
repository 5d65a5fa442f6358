/// The first argument of `bpf(2)`. Mirrors `enum bpf_cmd` in linux/bpf.h (raw values are the
/// kernel's numbers).
public enum BPFCommand: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// `BPF_MAP_CREATE`: create a map, returns its fd.
    case mapCreate = 0
    /// `BPF_MAP_LOOKUP_ELEM`: copy the value stored under a key.
    case mapLookupElem = 1
    /// `BPF_MAP_UPDATE_ELEM`: store a value under a key.
    case mapUpdateElem = 2
    /// `BPF_MAP_DELETE_ELEM`: remove a key.
    case mapDeleteElem = 3
    /// `BPF_MAP_GET_NEXT_KEY`: the key after a given key (iteration).
    case mapGetNextKey = 4
    /// `BPF_PROG_LOAD`: verify and load a program, returns its fd.
    case progLoad = 5
    /// `BPF_OBJ_PIN`: pin an object in bpffs.
    case objPin = 6
    /// `BPF_OBJ_GET`: open an object pinned in bpffs.
    case objGet = 7
    /// `BPF_PROG_ATTACH`: legacy attach (cgroup, sockmap, …).
    case progAttach = 8
    /// `BPF_PROG_DETACH`: legacy detach.
    case progDetach = 9
    /// `BPF_PROG_TEST_RUN` (alias `BPF_PROG_RUN`): run a program on given input.
    case progTestRun = 10
    /// `BPF_PROG_GET_NEXT_ID`: walk the ids of loaded programs.
    case progGetNextID = 11
    /// `BPF_MAP_GET_NEXT_ID`: walk the ids of existing maps.
    case mapGetNextID = 12
    /// `BPF_PROG_GET_FD_BY_ID`: open a program by id.
    case progGetFDByID = 13
    /// `BPF_MAP_GET_FD_BY_ID`: open a map by id.
    case mapGetFDByID = 14
    /// `BPF_OBJ_GET_INFO_BY_FD`: fill `bpf_prog_info`, `bpf_map_info`, `bpf_btf_info` or `bpf_link_info`.
    case objGetInfoByFD = 15
    /// `BPF_PROG_QUERY`: programs attached to a hook.
    case progQuery = 16
    /// `BPF_RAW_TRACEPOINT_OPEN`: attach to a raw tracepoint.
    case rawTracepointOpen = 17
    /// `BPF_BTF_LOAD`: load BTF type information, returns its fd.
    case btfLoad = 18
    /// `BPF_BTF_GET_FD_BY_ID`: open a BTF object by id.
    case btfGetFDByID = 19
    /// `BPF_TASK_FD_QUERY`: what a perf event fd of a task is attached to.
    case taskFDQuery = 20
    /// `BPF_MAP_LOOKUP_AND_DELETE_ELEM`: pop a value (queues, stacks, hashes).
    case mapLookupAndDeleteElem = 21
    /// `BPF_MAP_FREEZE`: make a map read-only for user space.
    case mapFreeze = 22
    /// `BPF_BTF_GET_NEXT_ID`: walk the ids of BTF objects.
    case btfGetNextID = 23
    /// `BPF_MAP_LOOKUP_BATCH`.
    case mapLookupBatch = 24
    /// `BPF_MAP_LOOKUP_AND_DELETE_BATCH`.
    case mapLookupAndDeleteBatch = 25
    /// `BPF_MAP_UPDATE_BATCH`.
    case mapUpdateBatch = 26
    /// `BPF_MAP_DELETE_BATCH`.
    case mapDeleteBatch = 27
    /// `BPF_LINK_CREATE`: attach a program through a link, returns the link fd.
    case linkCreate = 28
    /// `BPF_LINK_UPDATE`: replace the program of a link.
    case linkUpdate = 29
    /// `BPF_LINK_GET_FD_BY_ID`: open a link by id.
    case linkGetFDByID = 30
    /// `BPF_LINK_GET_NEXT_ID`: walk the ids of links.
    case linkGetNextID = 31
    /// `BPF_ENABLE_STATS`: turn on run-time statistics.
    case enableStats = 32
    /// `BPF_ITER_CREATE`: create an iterator fd from a link.
    case iterCreate = 33
    /// `BPF_LINK_DETACH`: detach a link, leaving it defunct but open.
    case linkDetach = 34
    /// `BPF_PROG_BIND_MAP`: keep a map alive as long as a program.
    case progBindMap = 35
    /// `BPF_TOKEN_CREATE`: delegate BPF rights from a bpffs instance.
    case tokenCreate = 36
    /// `BPF_PROG_STREAM_READ_BY_FD`: read a program's stdout/stderr stream.
    case progStreamReadByFD = 37

    /// The kernel's name, e.g. `"BPF_MAP_CREATE"`.
    public var name: String {
        switch self {
        case .mapCreate: "BPF_MAP_CREATE"
        case .mapLookupElem: "BPF_MAP_LOOKUP_ELEM"
        case .mapUpdateElem: "BPF_MAP_UPDATE_ELEM"
        case .mapDeleteElem: "BPF_MAP_DELETE_ELEM"
        case .mapGetNextKey: "BPF_MAP_GET_NEXT_KEY"
        case .progLoad: "BPF_PROG_LOAD"
        case .objPin: "BPF_OBJ_PIN"
        case .objGet: "BPF_OBJ_GET"
        case .progAttach: "BPF_PROG_ATTACH"
        case .progDetach: "BPF_PROG_DETACH"
        case .progTestRun: "BPF_PROG_TEST_RUN"
        case .progGetNextID: "BPF_PROG_GET_NEXT_ID"
        case .mapGetNextID: "BPF_MAP_GET_NEXT_ID"
        case .progGetFDByID: "BPF_PROG_GET_FD_BY_ID"
        case .mapGetFDByID: "BPF_MAP_GET_FD_BY_ID"
        case .objGetInfoByFD: "BPF_OBJ_GET_INFO_BY_FD"
        case .progQuery: "BPF_PROG_QUERY"
        case .rawTracepointOpen: "BPF_RAW_TRACEPOINT_OPEN"
        case .btfLoad: "BPF_BTF_LOAD"
        case .btfGetFDByID: "BPF_BTF_GET_FD_BY_ID"
        case .taskFDQuery: "BPF_TASK_FD_QUERY"
        case .mapLookupAndDeleteElem: "BPF_MAP_LOOKUP_AND_DELETE_ELEM"
        case .mapFreeze: "BPF_MAP_FREEZE"
        case .btfGetNextID: "BPF_BTF_GET_NEXT_ID"
        case .mapLookupBatch: "BPF_MAP_LOOKUP_BATCH"
        case .mapLookupAndDeleteBatch: "BPF_MAP_LOOKUP_AND_DELETE_BATCH"
        case .mapUpdateBatch: "BPF_MAP_UPDATE_BATCH"
        case .mapDeleteBatch: "BPF_MAP_DELETE_BATCH"
        case .linkCreate: "BPF_LINK_CREATE"
        case .linkUpdate: "BPF_LINK_UPDATE"
        case .linkGetFDByID: "BPF_LINK_GET_FD_BY_ID"
        case .linkGetNextID: "BPF_LINK_GET_NEXT_ID"
        case .enableStats: "BPF_ENABLE_STATS"
        case .iterCreate: "BPF_ITER_CREATE"
        case .linkDetach: "BPF_LINK_DETACH"
        case .progBindMap: "BPF_PROG_BIND_MAP"
        case .tokenCreate: "BPF_TOKEN_CREATE"
        case .progStreamReadByFD: "BPF_PROG_STREAM_READ_BY_FD"
        }
    }

    /// Same as ``name``.
    public var description: String { name }
}
