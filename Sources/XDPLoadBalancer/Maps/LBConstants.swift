/// The sizes and flags of bpf/xdp_lb.h, the contract between xdp_lb.bpf.c and this control plane.
public enum LBConstants {
    /// `XDP_LB_MAGLEV_SIZE`: M, the (prime) number of slots in each service's Maglev table.
    public static let maglevSize = 4099
    /// `XDP_LB_MAX_SERVICES`: service ids are `0 ..< maxServices`.
    public static let maxServices = 16
    /// `XDP_LB_MAX_BACKENDS`: backend ids are `1 ..< maxBackends` (0 means "no backend").
    public static let maxBackends = 1024
    /// `XDP_LB_MAX_FLOWS`: entries of the `flows` and `reverse` LRU tables.
    public static let maxFlows = 65536
    /// `XDP_LB_PORT_PROBES`: source ports a new flow tries before it is dropped.
    public static let portProbes = 8
    /// `XDP_LB_PORT_SALT`: mixed into the flow hash to choose the first source port.
    public static let portSalt: UInt32 = 0x9e37_79b9
    /// `XDP_LB_DEFAULT_REFRESH_JIFFIES`: the refresh period when `config.refresh_jiffies` is 0.
    public static let defaultRefreshJiffies: UInt32 = 250
    /// `XDP_LB_UDP_IDLE_PERIODS`: refresh periods without a packet after which a UDP flow's
    /// source port may be recycled.
    public static let udpIdlePeriods = 30
    /// `IPPROTO_TCP` (netinet/in.h).
    public static let tcp: UInt8 = 6
    /// `IPPROTO_UDP` (netinet/in.h).
    public static let udp: UInt8 = 17
}

/// The map names of xdp_lb.bpf.c (as in the object's `.maps` section) and its program name.
public enum LBMapName {
    /// `config`: ARRAY[1] of `struct xdp_lb_config`.
    public static let config = "config"
    /// `services`: HASH `struct xdp_lb_service_key` → `struct xdp_lb_service`.
    public static let services = "services"
    /// `maglev`: ARRAY of backend ids, `service id * M + slot`.
    public static let maglev = "maglev"
    /// `backends`: ARRAY backend id → `struct xdp_lb_backend`.
    public static let backends = "backends"
    /// `flows`: LRU_HASH client tuple → `struct xdp_lb_flow`.
    public static let flows = "flows"
    /// `reverse`: LRU_HASH backend-side tuple → `struct xdp_lb_reverse`.
    public static let reverse = "reverse"
    /// `stats`: PERCPU_ARRAY `enum xdp_lb_stat` → `struct xdp_lb_counter`.
    public static let stats = "stats"
    /// `backend_stats`: PERCPU_ARRAY backend id → `struct xdp_lb_backend_counters`.
    public static let backendStats = "backend_stats"
    /// Every map, in the header's order.
    public static let all = [config, services, maglev, backends, flows, reverse, stats, backendStats]
    /// The XDP program's name, `xdp_lb`.
    public static let program = "xdp_lb"
}
