/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * xdp_lb.h - the maps of xdp_lb.bpf.c, the project's XDP layer-4 load balancer, as
 * the contract between the BPF program and its control plane.
 *
 * Every struct here is a map key or value. Fields have fixed sizes, padding is
 * explicit (and must be written as zero: hash maps compare keys byte for byte),
 * and each field says its byte order:
 *   "network"  big-endian, exactly as the bytes appear in the packet headers
 *              (an IPv4 address 10.0.0.1 is the bytes 0a 00 00 01);
 *   "host"     the CPU's order (little-endian on x86-64 and arm64).
 * A user-space mirror (C, Swift) must reproduce the sizes and offsets given in
 * the comments; xdp_lb.bpf.c checks them with _Static_assert.
 *
 * The maps (names as in the object; all BTF-defined, so bpftool and swift-xdp show
 * typed keys and values):
 *
 *   config         ARRAY[1]       0 -> struct xdp_lb_config
 *   services       HASH           struct xdp_lb_service_key -> struct xdp_lb_service
 *   maglev         ARRAY          service id * XDP_LB_MAGLEV_SIZE + slot -> backend id (__u32, host)
 *   backends       ARRAY          backend id -> struct xdp_lb_backend
 *   flows          LRU_HASH       client-side struct xdp_lb_tuple -> struct xdp_lb_flow
 *   reverse        LRU_HASH       backend-side struct xdp_lb_tuple -> struct xdp_lb_reverse
 *   stats          PERCPU_ARRAY   enum xdp_lb_stat -> struct xdp_lb_counter
 *   backend_stats  PERCPU_ARRAY   backend id -> struct xdp_lb_backend_counters
 *
 * The control plane's duties are listed at the end of this file.
 */
#ifndef XDP_LB_H
#define XDP_LB_H

#include <linux/types.h>

/* ---- Sizes ----------------------------------------------------------------------- */

/*
 * M, the number of slots in each service's Maglev lookup table. It must be prime
 * (the Maglev permutation needs offset + j * skip to visit every slot), and much
 * larger than the number of backends of a service: with N backends each gets
 * M/N slots, give or take one, and moving one backend disturbs about M/N slots.
 * 4099 keeps a service's table at 16 KiB (the paper's 65537 would be 256 KiB per
 * service) and stays within 1% balance up to about 40 backends per service.
 */
#define XDP_LB_MAGLEV_SIZE 4099

/* Services (service ids 0 ..< XDP_LB_MAX_SERVICES); the maglev map holds
 * XDP_LB_MAX_SERVICES * XDP_LB_MAGLEV_SIZE slots (65,584 x 4 bytes). */
#define XDP_LB_MAX_SERVICES 16

/* Backend ids 1 ..< XDP_LB_MAX_BACKENDS; id 0 means "no backend" (an unfilled maglev
 * slot reads as 0). */
#define XDP_LB_MAX_BACKENDS 1024

/* Entries in the connection table (flows) and in the reverse table (reverse). Both
 * are LRU: when full, the least recently used entry makes room. Size them above
 * the number of concurrent flows. */
#define XDP_LB_MAX_FLOWS 65536

/* How many consecutive ports of the source-port range a new flow tries. When none of
 * them is free, the first whose TCP connection has ended (struct xdp_lb_reverse) is
 * recycled; when none has, the packet is dropped (stat XDP_LB_STAT_PORT_EXHAUSTED). */
#define XDP_LB_PORT_PROBES 8

/* A UDP flow's source port may be recycled once no packet of it passed for this many
 * refresh periods (about 30 s with the default period and CONFIG_HZ=250). */
#define XDP_LB_UDP_IDLE_PERIODS 30

/* How often, in kernel ticks (jiffies), an active flow refreshes its state when
 * config.refresh_jiffies is 0: a flows entry re-checks that its reverse entry still
 * exists, and flows and reverse entries repeat bpf_fib_lookup for their cached next
 * hop. Ticks are read with bpf_jiffies64, the cheapest clock a program has (a
 * bpf_ktime_get_*ns call costs ~25 ns a packet in BPF_PROG_TEST_RUN on the test VM);
 * 250 ticks are one second with CONFIG_HZ=250, 0.25 s with HZ=1000, 2.5 s with HZ=100. */
#define XDP_LB_DEFAULT_REFRESH_JIFFIES 250

/* ---- config (ARRAY, 1 entry, key 0) ---------------------------------------------- */

/* config.flags: call bpf_fib_lookup for every packet instead of using the next hop
 * cached in the flow (at most one refresh period old). Costs ~100-200 ns a packet. */
#define XDP_LB_CONFIG_FIB_EVERY_PACKET 0x1

/*
 * The load balancer's own settings. Until lb_ip, port_min and port_max are set
 * (lb_ip != 0, 0 < port_min <= port_max) every packet passes untouched and is
 * counted as XDP_LB_STAT_NOT_CONFIGURED.
 *
 * size 24:  lb_ip @0, port_min @4, port_max @6, hash_seed @8, flags @12,
 *           refresh_jiffies @16, pad @20
 */
struct xdp_lb_config {
	__be32 lb_ip;     /* network: the LB's address; source of packets sent to backends,
	                     destination of their replies */
	__u16 port_min;   /* host: first source port the LB allocates towards backends */
	__u16 port_max;   /* host: last one (inclusive); keep the range out of the LB host's
	                     own net.ipv4.ip_local_port_range and away from service ports */
	__u32 hash_seed;  /* host: seed of the flow hash (LBs sharing a VIP use the same) */
	__u32 flags;      /* host: XDP_LB_CONFIG_* */
	__u32 refresh_jiffies;  /* host: the refresh period in kernel ticks; 0 = the default
	                           XDP_LB_DEFAULT_REFRESH_JIFFIES. CONFIG_HZ = one second
	                           (user space: 1 / clock_getres(CLOCK_MONOTONIC_COARSE)) */
	__u32 pad;        /* 0 */
};

/* ---- services (HASH) ------------------------------------------------------------- */

/* size 8: vip @0, port @4, proto @6, pad @7 */
struct xdp_lb_service_key {
	__be32 vip;   /* network: the virtual IP clients connect to */
	__be16 port;  /* network: the service port */
	__u8 proto;   /* IPPROTO_TCP (6) or IPPROTO_UDP (17) */
	__u8 pad;     /* 0 */
};

/* size 8: id @0, flags @4 */
struct xdp_lb_service {
	__u32 id;     /* host: 0 ..< XDP_LB_MAX_SERVICES, selects the service's maglev table */
	__u32 flags;  /* host: reserved, 0 */
};

/* ---- maglev (ARRAY of __u32) ----------------------------------------------------- */
/*
 * Key (host __u32): service id * XDP_LB_MAGLEV_SIZE + slot, slot 0 ..< XDP_LB_MAGLEV_SIZE.
 * Value (host __u32): the backend id that owns the slot, 0 = none.
 * A new flow goes to maglev[id * M + xdp_lb_flow_hash(tuple, seed) % M].
 */

/* ---- backends (ARRAY) ------------------------------------------------------------ */

/* Backend is in service: new flows may be sent to it. */
#define XDP_LB_BACKEND_ACTIVE 0x1
/* Backend is leaving: its established flows continue, new flows are not sent to it. */
#define XDP_LB_BACKEND_DRAINING 0x2

/* Bits 8-15 of flags: the id of the service the backend serves. Bookkeeping for the
 * control plane only (which Maglev table to rebuild when the backend changes, where a
 * draining backend belongs): the program tests just the ACTIVE and DRAINING bits, and
 * each service's Maglev table alone decides which backends its new flows reach. */
#define XDP_LB_BACKEND_SERVICE_SHIFT 8

/* size 8: ip @0, port @4, flags @6 */
struct xdp_lb_backend {
	__be32 ip;     /* network: the backend's address */
	__be16 port;   /* network: the backend's port */
	__u16 flags;   /* host: XDP_LB_BACKEND_* | service id << XDP_LB_BACKEND_SERVICE_SHIFT;
	                  0 = slot unused (flows on it re-select) */
};

/* ---- flows and reverse (LRU_HASH) ------------------------------------------------ */

/*
 * A packet's 5-tuple as it appears in its headers. Key of both LRU tables:
 *   flows:   the client's packet    {client ip, VIP, client port, VIP port, proto}
 *   reverse: the backend's reply    {backend ip, lb_ip, backend port, LB port, proto}
 *
 * size 16: saddr @0, daddr @4, sport @8, dport @10, proto @12, pad @13
 */
struct xdp_lb_tuple {
	__be32 saddr;  /* network: IPv4 source */
	__be32 daddr;  /* network: IPv4 destination */
	__be16 sport;  /* network: TCP/UDP source port */
	__be16 dport;  /* network: TCP/UDP destination port */
	__u8 proto;    /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 pad[3];   /* 0 */
};

/*
 * Where to send a flow's packets: a cached bpf_fib_lookup result (struct bpf_fib_lookup's
 * ifindex, dmac and smac). ifindex 0 = not known yet, or the last lookup failed: the
 * next packet looks up again.
 *
 * size 16: ifindex @0, dmac @4, smac @10
 */
struct xdp_lb_nexthop {
	__u32 ifindex;    /* host: egress interface (XDP_TX if it is the ingress one) */
	__u8 dmac[6];     /* next hop's MAC (the Ethernet destination) */
	__u8 smac[6];     /* egress interface's MAC (the Ethernet source) */
};

/* The client sent FIN or RST: a later SYN on this tuple starts a new flow
 * (fresh Maglev choice) instead of reusing the recorded backend. */
#define XDP_LB_FLOW_CLOSING 0x1

/* flows value. size 32: backend_id @0, lb_port @4, flags @6, last_refresh @8, nexthop @16 */
struct xdp_lb_flow {
	__u32 backend_id;     /* host: the backend this flow is pinned to */
	__be16 lb_port;       /* network: the source port the LB uses towards the backend */
	__u16 flags;          /* host: XDP_LB_FLOW_* */
	__u64 last_refresh;   /* host: jiffies (kernel ticks) of the flow's creation or last
	                         refresh; moves at least once a refresh period while client
	                         packets flow */
	struct xdp_lb_nexthop nexthop;  /* towards the backend */
};

/* reverse.flags: how the TCP connection on this LB port is closing. Set atomically by
 * the packets that pass (the client's side in follow_flow, the backend's in to_client). */
#define XDP_LB_REVERSE_CLIENT_FIN 0x1   /* the client sent FIN */
#define XDP_LB_REVERSE_BACKEND_FIN 0x2  /* the backend sent FIN */
#define XDP_LB_REVERSE_RESET 0x4        /* either side sent RST */

/*
 * reverse value: one per LB source port in use towards a backend. The connection on it
 * has ended once both FINs or a RST passed (flags); a port whose connection ended at
 * least a refresh period ago (closed_at) may be recycled by a new flow that finds all
 * its XDP_LB_PORT_PROBES ports taken. A UDP flow has no end: its port may be recycled
 * once it has been idle for XDP_LB_UDP_IDLE_PERIODS refresh periods (closed_at then
 * holds when a packet last passed, noted once a refresh period).
 *
 * size 56: client @0, backend_id @16, flags @20, last_refresh @24, nexthop @32,
 *          closed_at @48
 */
struct xdp_lb_reverse {
	struct xdp_lb_tuple client;  /* the client's tuple {client ip, VIP, client port,
	                                VIP port, proto}: the reply gets VIP:port as its
	                                source and client ip:port as its destination */
	__u32 backend_id;            /* host: for backend_stats */
	__u32 flags;                 /* host: XDP_LB_REVERSE_* */
	__u64 last_refresh;          /* host: jiffies of the last next-hop lookup for
	                                replies (0 = none yet) */
	struct xdp_lb_nexthop nexthop;  /* towards the client */
	__u64 closed_at;             /* host: TCP: jiffies of the last FIN or RST (0 = none);
	                                UDP: of the last packet seen (once a period) */
};

/* ---- stats and backend_stats (PERCPU_ARRAY) -------------------------------------- */

/*
 * Keys of the stats map. 0-4 are the verdicts (every packet is counted in exactly
 * one; the numbers are enum xdp_action's); the others are reasons and events (a
 * packet can be counted in several). Sum the per-CPU values to read them.
 */
enum xdp_lb_stat {
	XDP_LB_STAT_ABORTED = 0,        /* verdict XDP_ABORTED (internal error) */
	XDP_LB_STAT_DROP = 1,           /* verdict XDP_DROP */
	XDP_LB_STAT_PASS = 2,           /* verdict XDP_PASS */
	XDP_LB_STAT_TX = 3,             /* verdict XDP_TX (out of the ingress interface) */
	XDP_LB_STAT_REDIRECT = 4,       /* verdict XDP_REDIRECT (out of another interface) */
	XDP_LB_STAT_NOT_IPV4 = 5,       /* pass: EtherType is not IPv4 (ARP, IPv6, VLAN tags) */
	XDP_LB_STAT_MALFORMED = 6,      /* pass: truncated Ethernet/IP/TCP/UDP header, IP version != 4 */
	XDP_LB_STAT_FRAGMENT = 7,       /* pass: IP fragment (MF set or offset != 0) */
	XDP_LB_STAT_IP_OPTIONS = 8,     /* pass: IP header with options (ihl != 5) */
	XDP_LB_STAT_NOT_TCP_UDP = 9,    /* pass: ICMP and every protocol other than TCP/UDP */
	XDP_LB_STAT_NOT_CONFIGURED = 10,/* pass: config not set (see struct xdp_lb_config) */
	XDP_LB_STAT_NO_SERVICE = 11,    /* pass: not for a service, not a known backend reply */
	XDP_LB_STAT_NO_BACKEND = 12,    /* drop: the flow's maglev slot has no active backend */
	XDP_LB_STAT_PORT_EXHAUSTED = 13,/* drop: XDP_LB_PORT_PROBES source ports all taken */
	XDP_LB_STAT_FIB_NO_NEIGH = 14,  /* pass (rewritten): no neighbour entry for the next hop */
	XDP_LB_STAT_FIB_FAIL = 15,      /* pass (rewritten): any other bpf_fib_lookup failure */
	XDP_LB_STAT_FLOW_NEW = 16,      /* a client packet created a flow (Maglev choice) */
	XDP_LB_STAT_FLOW_HIT = 17,      /* a client packet followed its recorded flow */
	XDP_LB_STAT_FLOW_RESELECT = 18, /* a recorded flow's backend was gone (flags 0), its
	                                   reverse entry lost, or a SYN reused a closing flow */
	XDP_LB_STAT_REPLY = 19,         /* a backend reply was translated back to its client */
	XDP_LB_STAT_PORT_RECYCLED = 20, /* a new flow took over the port of a connection that
	                                   had ended (all its probed ports were taken) */
	XDP_LB_STAT_COUNT = 21,
};

/* stats value. size 16 */
struct xdp_lb_counter {
	__u64 packets;  /* host */
	__u64 bytes;    /* host: frame bytes including the Ethernet header, as received */
};

/* backend_stats value. size 32 */
struct xdp_lb_backend_counters {
	__u64 to_packets;    /* host: client packets sent to the backend */
	__u64 to_bytes;      /* host */
	__u64 from_packets;  /* host: backend replies sent back to clients */
	__u64 from_bytes;    /* host */
};

/* ---- The flow hash --------------------------------------------------------------- */
/*
 * xdp_lb_flow_hash(t, seed): the Maglev slot of a new flow is hash % XDP_LB_MAGLEV_SIZE.
 * Written here so a control plane can predict a flow's backend. The words are the
 * tuple's fields as the CPU loads them from memory (on little-endian hosts the
 * network bytes read as a little-endian number), mixed in with MurmurHash3's
 * 32-bit finaliser (constants 0x85ebca6b, 0xc2b2ae35):
 *
 *   h = seed
 *   h = mix(h ^ saddr);  h = mix(h ^ daddr)
 *   h = mix(h ^ (sport << 16 | dport));  h = mix(h ^ proto)
 *
 * The LB's source port for a new flow starts its probing at
 *   port_min + mix(h ^ XDP_LB_PORT_SALT) % (port_max - port_min + 1)
 */
#define XDP_LB_PORT_SALT 0x9e3779b9u

static inline __attribute__((always_inline)) __u32 xdp_lb_mix(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static inline __attribute__((always_inline)) __u32 xdp_lb_flow_hash(const struct xdp_lb_tuple *t, __u32 seed)
{
	__u32 h = seed;
	h = xdp_lb_mix(h ^ t->saddr);
	h = xdp_lb_mix(h ^ t->daddr);
	h = xdp_lb_mix(h ^ ((__u32)t->sport << 16 | t->dport));
	h = xdp_lb_mix(h ^ t->proto);
	return h;
}

/*
 * ---- The control plane's duties -----------------------------------------------------
 *
 * 1. Write config[0] (lb_ip, port range, seed).
 * 2. A service: choose a free id, fill maglev[id * M ..< (id + 1) * M] with backend
 *    ids (the Maglev population algorithm), then insert the services entry.
 * 3. Add a backend: write backends[id] with flags ACTIVE, then refill the service's
 *    maglev slots (only the slots Maglev reassigns change, so only those new flows move).
 * 4. Remove a backend: refill the maglev slots without it FIRST, then set its flags to
 *    DRAINING. Established flows (flows entries) keep using it. Once they are gone
 *    (every flows entry with that backend_id is gone or its reverse entry shows the
 *    connection ended, or backend_stats stop moving) set flags to 0 and only then
 *    reuse the id; a flow that still names it re-selects via Maglev.
 * 5. Remove a service: delete its services entry (its new flows then pass to the stack),
 *    then delete its flows entries: a packet of a known flow does not consult services.
 *    Then its reverse entries (their ports are free again), its backends (flags 0) and
 *    its maglev slots (0), so that the id can serve another service.
 * 6. The host: bpf_fib_lookup needs net.ipv4.conf.<ingress>.forwarding=1 (else every
 *    forwarded packet counts XDP_LB_STAT_FIB_FAIL). A packet whose next hop has no
 *    neighbour entry is passed to the stack already rewritten (source = lb_ip); the
 *    stack forwards it, and so resolves the neighbour, only with
 *    net.ipv4.conf.<ingress>.accept_local=1; otherwise it drops it as a martian and
 *    the sender retransmits. Keeping the backends' and gateways' neighbour entries
 *    present (health checks, `ip neigh`) avoids the slow path altogether. Next hops
 *    are cached per flow for up to a refresh period (see XDP_LB_CONFIG_FIB_EVERY_PACKET).
 * 7. Frames from local senders with TX checksum offload (veth peers) carry a partial
 *    L4 checksum that XDP cannot complete: disable TX offload on such senders.
 */

#endif /* XDP_LB_H */
