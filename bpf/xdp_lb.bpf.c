/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_lb.bpf.c - swift-xdp's own XDP layer-4 load balancer (IPv4, TCP and UDP), full NAT.
 *
 *   client ──► VIP:port ══ LB ══► backend ip:port      source becomes lb_ip:lb_port
 *   client ◄── VIP:port ══ LB ◄══ backend ip:port      destination was lb_ip:lb_port
 *
 * A client packet of a known flow (its 5-tuple is in the connection table `flows`) goes
 * where the flow goes. The first packet of a flow to a service (VIP, port, protocol in
 * the `services` map) hashes its 5-tuple to a slot of the service's Maglev table
 * (`maglev`), whose backend gets the flow, and the LB allocates a source port for it,
 * recorded in `reverse` as {backend ip, lb_ip, backend port, lb port, proto} -> the
 * client's tuple. A backend's reply is looked up in
 * `reverse` and translated back. Addresses, ports and checksums are rewritten in place
 * (incremental checksums, RFC 1624); the next hop comes from the kernel's routing and
 * neighbour tables (bpf_fib_lookup). Map layouts and the control plane's duties:
 * xdp_lb.h; parsing, checksums and the rewrite itself: xdp_lb_packet.h.
 *
 * What passes to the stack untouched: everything that is not IPv4 (ARP, IPv6, VLAN-tagged
 * frames), IP fragments, IPv4 with options (ihl != 5: rare, and options such as source
 * routing should not be blindly forwarded), ICMP and other protocols, truncated headers,
 * packets for no service and backend packets matching no reverse entry. Every packet is
 * counted in `stats` under its verdict, and under its reason (enum xdp_lb_stat).
 *
 * Choices worth knowing:
 * - Source ports: a new flow hashes to a start port in [port_min, port_max] and probes
 *   XDP_LB_PORT_PROBES consecutive ports; a port is taken with BPF_NOEXIST in `reverse`
 *   (atomic, so two flows never share one), or reused if its entry already names this
 *   very client tuple. Ports are per backend (the reverse key holds the backend's
 *   ip:port), so each backend has the whole range. Being a hash, the same client flow
 *   gets the same port (and, via Maglev, the same backend) again when its state is lost,
 *   e.g. after the LB restarts with fresh maps.
 * - Port recycling: a port stays taken after its TCP connection closes (the backend
 *   may hold it in TIME_WAIT, and late packets may still come), so many short
 *   connections fill the range long before the LRU evicts anything. The reverse entry
 *   records the FINs and RSTs that pass; when all probed ports are taken, a new flow
 *   takes over the first one whose connection ended at least a refresh period ago
 *   (atomically, with a compare-and-swap on its closed_at). A UDP flow, which has no
 *   end, counts as ended after XDP_LB_UDP_IDLE_PERIODS idle refresh periods. Free
 *   ports are preferred, so a backend rarely sees a new SYN on a 4-tuple it still
 *   holds in TIME_WAIT (Linux accepts it when the SYN's timestamp or sequence number
 *   is newer).
 * - Next hops: bpf_fib_lookup (the kernel's routes and neighbours) gives the egress
 *   interface and both MAC addresses. The result is cached in the flow's flows entry
 *   (towards the backend) and reverse entry (towards the client) and looked up again
 *   once a refresh period (config.refresh_jiffies, about a second) while packets flow,
 *   at once when the last lookup failed, and for every packet with
 *   XDP_LB_CONFIG_FIB_EVERY_PACKET. A lookup costs more than everything else the program
 *   does for a packet (see the benchmark in xdp_lb_test.py); the price of the cache is
 *   that a changed neighbour MAC or route is followed up to one refresh period late.
 * - The rewrite comes first, the FIB lookup last. When the lookup fails the packet is
 *   passed to the stack already rewritten (see xdp_lb.h for the sysctls that let the
 *   stack forward it and resolve the neighbour). There is no FIB bypass for tests:
 *   BPF_PROG_TEST_RUN in a namespace without routes shows the rewritten packet with
 *   verdict XDP_PASS and XDP_LB_STAT_FIB_FAIL or _NO_NEIGH; xdp_lb_test.py gives its
 *   private network namespace routes and neighbours and gets XDP_TX / XDP_REDIRECT.
 * - TTL is not decremented: with full NAT the LB is the source of the packets it sends.
 * - Checksums: the IP header and the TCP/UDP checksums are adjusted for the changed
 *   addresses and ports (UDP checksum 0 = "none" stays 0). The result is a complete,
 *   correct checksum whenever the received one was, so receivers verify it with or
 *   without RX checksum offload. An XDP program cannot see skb->ip_summed: a frame from a
 *   local sender with TX checksum offload (CHECKSUM_PARTIAL, e.g. across a veth pair)
 *   carries only a pseudo-header sum in the L4 checksum field, which no XDP program can
 *   fix up; turn TX offload off on such senders (`ethtool -K <dev> tx off`).
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "swift_xdp_bpf.h"
#include "xdp_lb.h"
#include "xdp_lb_packet.h"

/*
 * Two helpers swift_xdp_helpers.h does not declare yet. They live here because any edit
 * of that header changes every other fixture's bytes (DWARF 5 line tables record an MD5
 * of each header); move them there (and drop this block) when the fixtures are rebuilt
 * anyway (that header would then define SWIFT_XDP_HELPERS_DECLARE_FIB_LOOKUP).
 */
#ifndef SWIFT_XDP_HELPERS_DECLARE_FIB_LOOKUP
/* Looks up the route and the next hop's neighbour entry for the addresses in *params
 * (ifindex = the ingress device, or the egress one with BPF_FIB_LOOKUP_OUTPUT); on
 * BPF_FIB_LKUP_RET_SUCCESS fills the egress ifindex, smac and dmac. Returns 0, a
 * BPF_FIB_LKUP_RET_* reason, or a negative errno. (BPF_FUNC_fib_lookup) */
static long (* const bpf_fib_lookup)(void *ctx, struct bpf_fib_lookup *params, int plen, __u32 flags) =
	(void *)BPF_FUNC_fib_lookup;
/* The kernel's tick counter jiffies_64: CONFIG_HZ ticks a second. (BPF_FUNC_jiffies64) */
static __u64 (* const bpf_jiffies64)(void) =
	(void *)BPF_FUNC_jiffies64;
#endif

/* AF_INET for bpf_fib_lookup (linux/socket.h of glibc, not in the UAPI headers). */
#define XDP_LB_AF_INET 2

/* The layouts promised in xdp_lb.h. */
_Static_assert(sizeof(struct xdp_lb_config) == 24, "xdp_lb_config");
_Static_assert(offsetof(struct xdp_lb_config, hash_seed) == 8, "xdp_lb_config.hash_seed");
_Static_assert(sizeof(struct xdp_lb_service_key) == 8, "xdp_lb_service_key");
_Static_assert(sizeof(struct xdp_lb_service) == 8, "xdp_lb_service");
_Static_assert(sizeof(struct xdp_lb_backend) == 8, "xdp_lb_backend");
_Static_assert(sizeof(struct xdp_lb_tuple) == 16, "xdp_lb_tuple");
_Static_assert(offsetof(struct xdp_lb_tuple, proto) == 12, "xdp_lb_tuple.proto");
_Static_assert(sizeof(struct xdp_lb_nexthop) == 16, "xdp_lb_nexthop");
_Static_assert(sizeof(struct xdp_lb_flow) == 32, "xdp_lb_flow");
_Static_assert(offsetof(struct xdp_lb_flow, nexthop) == 16, "xdp_lb_flow.nexthop");
_Static_assert(offsetof(struct xdp_lb_flow, last_refresh) == 8, "xdp_lb_flow.last_refresh");
_Static_assert(sizeof(struct xdp_lb_reverse) == 56, "xdp_lb_reverse");
_Static_assert(offsetof(struct xdp_lb_reverse, flags) == 20, "xdp_lb_reverse.flags");
_Static_assert(offsetof(struct xdp_lb_reverse, closed_at) == 48, "xdp_lb_reverse.closed_at");
_Static_assert(offsetof(struct xdp_lb_reverse, last_refresh) == 24, "xdp_lb_reverse.last_refresh");
_Static_assert(sizeof(struct xdp_lb_counter) == 16, "xdp_lb_counter");
_Static_assert(sizeof(struct xdp_lb_backend_counters) == 32, "xdp_lb_backend_counters");

/* ---- Maps (layouts and meaning: xdp_lb.h) ---------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xdp_lb_config);
	__uint(max_entries, 1);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct xdp_lb_service_key);
	__type(value, struct xdp_lb_service);
	__uint(max_entries, XDP_LB_MAX_SERVICES);
} services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, XDP_LB_MAX_SERVICES * XDP_LB_MAGLEV_SIZE);
} maglev SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct xdp_lb_backend);
	__uint(max_entries, XDP_LB_MAX_BACKENDS);
} backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct xdp_lb_tuple);
	__type(value, struct xdp_lb_flow);
	__uint(max_entries, XDP_LB_MAX_FLOWS);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct xdp_lb_tuple);
	__type(value, struct xdp_lb_reverse);
	__uint(max_entries, XDP_LB_MAX_FLOWS);
} reverse SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct xdp_lb_counter);
	__uint(max_entries, XDP_LB_STAT_COUNT);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct xdp_lb_backend_counters);
	__uint(max_entries, XDP_LB_MAX_BACKENDS);
} backend_stats SEC(".maps");

/* ---- Counters -------------------------------------------------------------------- */

/* Adds one packet of len bytes to stats[stat] (this CPU's copy: no atomics needed). */
static __always_inline void count(__u32 stat, __u32 len)
{
	struct xdp_lb_counter *c = bpf_map_lookup_elem(&stats, &stat);

	if (c) {
		c->packets += 1;
		c->bytes += len;
	}
}

/* Counts the verdict and returns it. */
static __always_inline int verdict(int action, __u32 len)
{
	count(action, len);
	return action;
}

/* Counts the reason, then XDP_PASS. */
static __always_inline int pass(__u32 reason, __u32 len)
{
	count(reason, len);
	return verdict(XDP_PASS, len);
}

/* Counts the reason, then XDP_DROP. */
static __always_inline int drop(__u32 reason, __u32 len)
{
	count(reason, len);
	return verdict(XDP_DROP, len);
}

/* Adds one packet to backend_stats[id], towards the backend or back from it. */
static __always_inline void count_backend(__u32 id, int from_backend, __u32 len)
{
	struct xdp_lb_backend_counters *c = bpf_map_lookup_elem(&backend_stats, &id);

	if (!c)
		return;
	if (from_backend) {
		c->from_packets += 1;
		c->from_bytes += len;
	} else {
		c->to_packets += 1;
		c->to_bytes += len;
	}
}

/* ---- Sending --------------------------------------------------------------------- */

/* Looks up where the rewritten packet goes (the kernel's route and neighbour entry for
 * its destination) into *nh. Returns 0, or the stats reason; on failure nh->ifindex = 0. */
static __always_inline __u32 lookup_next_hop(struct xdp_md *ctx, const struct packet *p,
					     struct xdp_lb_nexthop *nh)
{
	struct iphdr *iph = p->iph;
	struct bpf_fib_lookup fib = {
		.family = XDP_LB_AF_INET,
		.l4_protocol = iph->protocol,
		.sport = p->ports[0],
		.dport = p->ports[1],
		.tot_len = bpf_ntohs(iph->tot_len),
		.ifindex = ctx->ingress_ifindex,
		.tos = iph->tos,
		.ipv4_src = iph->saddr,
		.ipv4_dst = iph->daddr,
	};

	/* flags 0: a forwarding lookup as for a packet received on ifindex (FIB rules apply). */
	long rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS) {
		nh->ifindex = 0;
		return rc == BPF_FIB_LKUP_RET_NO_NEIGH ? XDP_LB_STAT_FIB_NO_NEIGH : XDP_LB_STAT_FIB_FAIL;
	}
	nh->ifindex = fib.ifindex;
	__builtin_memcpy(nh->dmac, fib.dmac, ETH_ALEN);
	__builtin_memcpy(nh->smac, fib.smac, ETH_ALEN);
	return 0;
}

/* Sends the rewritten packet to the known next hop nh. */
static __always_inline int transmit(struct xdp_md *ctx, struct packet *p, const struct xdp_lb_nexthop *nh,
				    __u32 len)
{
	/* 16-bit copies (2-byte aligned on both sides) instead of memcpy's byte copies. */
	__u16 *mac = (__u16 *)p->eth;
	const __u16 *dmac = (const __u16 *)nh->dmac, *smac = (const __u16 *)nh->smac;
	mac[0] = dmac[0];
	mac[1] = dmac[1];
	mac[2] = dmac[2];
	mac[3] = smac[0];
	mac[4] = smac[1];
	mac[5] = smac[2];
	if (nh->ifindex == ctx->ingress_ifindex)
		return verdict(XDP_TX, len);
	return verdict(bpf_redirect(nh->ifindex, 0), len);
}

/* Sends the rewritten packet to the next hop cached in *nh (a flows or reverse value),
 * looking it up again first when refresh is set or nothing is cached. A failed lookup
 * passes the packet to the stack. */
static __always_inline int send(struct xdp_md *ctx, struct packet *p, struct xdp_lb_nexthop *nh,
				int refresh, __u32 len)
{
	if (refresh || nh->ifindex == 0) {
		__u32 reason = lookup_next_hop(ctx, p, nh);
		if (reason)
			return pass(reason, len);
	}
	return transmit(ctx, p, nh, len);
}

/* ---- Source ports ---------------------------------------------------------------- */

/* The refresh period in jiffies (config.refresh_jiffies, or the default). */
static __always_inline __u64 refresh_period(const struct xdp_lb_config *cfg)
{
	return cfg->refresh_jiffies ? cfg->refresh_jiffies : XDP_LB_DEFAULT_REFRESH_JIFFIES;
}

/* Whether two tuples are equal (word by word; the padding is always zero). */
static __always_inline int same_tuple(const struct xdp_lb_tuple *a, const struct xdp_lb_tuple *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

/* The reverse key of LB port `port` towards backend be. */
static __always_inline struct xdp_lb_tuple reverse_key(const struct xdp_lb_config *cfg, const struct xdp_lb_backend *be,
						       __be16 port, __u8 proto)
{
	struct xdp_lb_tuple key = {
		.saddr = be->ip,
		.daddr = cfg->lb_ip,
		.sport = be->port,
		.dport = port,
		.proto = proto,
	};
	return key;
}

/* Whether flags say the connection closed: both FINs, or a RST. */
static __always_inline int closed_flags(__u32 flags)
{
	const __u32 both = XDP_LB_REVERSE_CLIENT_FIN | XDP_LB_REVERSE_BACKEND_FIN;
	return (flags & XDP_LB_REVERSE_RESET) || (flags & both) == both;
}

/* Records a FIN or RST of a TCP packet on the connection of reverse entry r. */
static __always_inline void note_close(struct xdp_lb_reverse *r, __u8 tcp_flags, __u32 fin_bit, __u64 now)
{
	__u32 bit = tcp_flags & XDP_LB_TCP_RST ? XDP_LB_REVERSE_RESET : fin_bit;
	if (!(r->flags & bit))
		__sync_fetch_and_or(&r->flags, bit);
	r->closed_at = now;
}

/* Whether the flow of reverse entry r has ended long enough ago for its port to be
 * recycled: TCP once both FINs or a RST passed (closed_at = the last of them) a refresh
 * period ago; UDP, which has no end, once no packet passed for XDP_LB_UDP_IDLE_PERIODS
 * refresh periods (closed_at = when one last did, noted once a period). */
static __always_inline int flow_ended(const struct xdp_lb_config *cfg, const struct xdp_lb_reverse *r,
				      __u32 flags, __u64 closed_at, __u64 now)
{
	if (r->client.proto == IPPROTO_UDP)
		return now - closed_at >= XDP_LB_UDP_IDLE_PERIODS * refresh_period(cfg);
	return closed_flags(flags) && now - closed_at >= refresh_period(cfg);
}

/* Notes that a UDP flow is still alive (called once a refresh period per direction). */
static __always_inline void note_udp_alive(struct xdp_lb_reverse *r, __u64 now)
{
	if (r->client.proto == IPPROTO_UDP)
		r->closed_at = now;
}

/* What claim_port found at a port. */
enum port_state {
	PORT_CLAIMED = 0,  /* the port is now (or already was) this flow's */
	PORT_TAKEN = 1,    /* another flow holds it */
	PORT_ENDED = 2,    /* another flow holds it, but its connection ended a refresh
			      period ago or more: recycle_port may take it over */
};

/* Makes reverse[{backend, lb_ip, port}] name the client tuple if the port is free or
 * already this flow's. `fresh` is set for a new flow: a closed connection's flags are
 * cleared when its client reuses the tuple. */
static __always_inline int claim_port(const struct xdp_lb_config *cfg, const struct xdp_lb_tuple *client,
				      const struct xdp_lb_backend *be, __u32 backend_id, __be16 port,
				      int fresh, __u64 now)
{
	struct xdp_lb_tuple key = reverse_key(cfg, be, port, client->proto);
	struct xdp_lb_reverse *r = bpf_map_lookup_elem(&reverse, &key);

	if (!r) {
		struct xdp_lb_reverse entry = {
			.client = *client,
			.backend_id = backend_id,
			.closed_at = client->proto == IPPROTO_UDP ? now : 0,
		};
		/* BPF_NOEXIST: if another CPU took the port meanwhile, this fails. */
		if (bpf_map_update_elem(&reverse, &key, &entry, BPF_NOEXIST) == 0)
			return PORT_CLAIMED;
		r = bpf_map_lookup_elem(&reverse, &key);
		if (!r)
			return PORT_TAKEN;
	}
	if (!same_tuple(&r->client, client)) {
		if (flow_ended(cfg, r, r->flags, r->closed_at, now))
			return PORT_ENDED;
		return PORT_TAKEN;
	}
	if (r->backend_id != backend_id)
		r->backend_id = backend_id;
	if (fresh && r->flags)
		r->flags = 0;
	note_udp_alive(r, now);
	return PORT_CLAIMED;
}

/* Takes over a port that claim_port found PORT_ENDED: its closed_at goes from the value
 * seen to now with a compare-and-swap, so of two CPUs recycling it at once one wins
 * (for the other the flow no longer looks ended), and the winner rewrites the entry
 * for the new flow. 0 on success. */
static __always_inline int recycle_port(const struct xdp_lb_config *cfg, const struct xdp_lb_tuple *client,
					const struct xdp_lb_backend *be, __u32 backend_id, __be16 port, __u64 now)
{
	struct xdp_lb_tuple key = reverse_key(cfg, be, port, client->proto);
	struct xdp_lb_reverse *r = bpf_map_lookup_elem(&reverse, &key);
	if (!r)
		return -1;
	__u64 seen = r->closed_at;
	if (!flow_ended(cfg, r, r->flags, seen, now))
		return -1;
	if (__sync_val_compare_and_swap(&r->closed_at, seen, now) != seen)
		return -1;
	r->client = *client;
	r->backend_id = backend_id;
	r->flags = 0;
	r->last_refresh = 0;
	r->nexthop.ifindex = 0;
	if (client->proto != IPPROTO_UDP)
		r->closed_at = 0;
	return 0;
}

/* A source port for a new flow to backend be (network order), or 0 if none is free.
 * *recycled is set when the port was taken over from an ended connection. */
static __always_inline __be16 allocate_port(const struct xdp_lb_config *cfg, const struct xdp_lb_tuple *client,
					    const struct xdp_lb_backend *be, __u32 backend_id, __u32 hash,
					    __u64 now, int *recycled)
{
	__u32 range = (__u32)cfg->port_max - cfg->port_min + 1;
	__u32 offset = xdp_lb_mix(hash ^ XDP_LB_PORT_SALT) % range;
	__be16 ended = 0;

#pragma clang loop unroll(disable)
	for (int probe = 0; probe < XDP_LB_PORT_PROBES; probe++) {
		__be16 port = bpf_htons((__u16)(cfg->port_min + offset));
		int state = claim_port(cfg, client, be, backend_id, port, 1, now);
		if (state == PORT_CLAIMED)
			return port;
		if (state == PORT_ENDED && ended == 0)
			ended = port;
		offset = offset + 1 == range ? 0 : offset + 1;
	}
	if (ended && recycle_port(cfg, client, be, backend_id, ended, now) == 0) {
		*recycled = 1;
		return ended;
	}
	return 0;
}

/* ---- The two directions ---------------------------------------------------------- */

/* Whether the packet opens a TCP connection (SYN without ACK). */
static __always_inline int opens_connection(const struct packet *p)
{
	return (p->tcp_flags & (XDP_LB_TCP_SYN | XDP_LB_TCP_ACK)) == XDP_LB_TCP_SYN;
}

/* The backend a recorded flow keeps, or NULL when the flow must re-select: its backend
 * was removed (flags 0), or a SYN reuses the tuple of a connection that closed. */
static __always_inline struct xdp_lb_backend *flow_backend(const struct packet *p, const struct xdp_lb_flow *flow)
{
	if ((flow->flags & XDP_LB_FLOW_CLOSING) && opens_connection(p))
		return NULL;
	__u32 id = flow->backend_id;
	struct xdp_lb_backend *be = bpf_map_lookup_elem(&backends, &id);
	if (!be || !(be->flags & (XDP_LB_BACKEND_ACTIVE | XDP_LB_BACKEND_DRAINING)))
		return NULL;
	return be;
}

/* A client packet without a usable flow: the service's Maglev table picks the backend,
 * a source port is allocated, and the flow is recorded with its next hop. */
static __always_inline int new_flow(struct xdp_md *ctx, struct packet *p, const struct xdp_lb_config *cfg,
				    const struct xdp_lb_service *svc, __u32 len)
{
	const struct xdp_lb_tuple *t = &p->tuple;
	__u32 hash = xdp_lb_flow_hash(t, cfg->hash_seed);

	if (svc->id >= XDP_LB_MAX_SERVICES)
		return drop(XDP_LB_STAT_NO_BACKEND, len);
	__u32 slot = svc->id * XDP_LB_MAGLEV_SIZE + hash % XDP_LB_MAGLEV_SIZE;
	__u32 *owner = bpf_map_lookup_elem(&maglev, &slot);
	__u32 backend_id = owner ? *owner : 0;
	if (backend_id == 0)
		return drop(XDP_LB_STAT_NO_BACKEND, len);
	struct xdp_lb_backend *be = bpf_map_lookup_elem(&backends, &backend_id);
	if (!be || !(be->flags & XDP_LB_BACKEND_ACTIVE))
		return drop(XDP_LB_STAT_NO_BACKEND, len);

	__u64 now = bpf_jiffies64();
	int recycled = 0;
	__be16 lb_port = allocate_port(cfg, t, be, backend_id, hash, now, &recycled);
	if (lb_port == 0)
		return drop(XDP_LB_STAT_PORT_EXHAUSTED, len);
	if (recycled)
		count(XDP_LB_STAT_PORT_RECYCLED, len);

	struct xdp_lb_flow entry = {
		.backend_id = backend_id,
		.lb_port = lb_port,
		.flags = p->tcp_flags & (XDP_LB_TCP_FIN | XDP_LB_TCP_RST) ? XDP_LB_FLOW_CLOSING : 0,
		.last_refresh = now,
	};
	rewrite(p, cfg->lb_ip, be->ip, lb_port, be->port);
	__u32 reason = lookup_next_hop(ctx, p, &entry.nexthop);
	bpf_map_update_elem(&flows, t, &entry, BPF_ANY);
	count(XDP_LB_STAT_FLOW_NEW, len);
	count_backend(backend_id, 0, len);
	if (reason)
		return pass(reason, len);
	return transmit(ctx, p, &entry.nexthop, len);
}

/* A client packet of the recorded flow: NAT it towards the flow's backend and send it.
 * Returns -1 instead when the flow must re-select (see flow_backend, claim_port). */
static __always_inline int follow_flow(struct xdp_md *ctx, struct packet *p, const struct xdp_lb_config *cfg,
				       struct xdp_lb_flow *flow, __u32 len)
{
	struct xdp_lb_backend *be = flow_backend(p, flow);
	if (!be)
		return -1;

	/* Once a refresh period: the reverse entry must still exist (LRU) and be this
	 * flow's, and the next hop is looked up again. */
	__u32 backend_id = flow->backend_id;
	__u64 now = bpf_jiffies64();
	int refresh = now - flow->last_refresh >= refresh_period(cfg);
	if (refresh) {
		if (claim_port(cfg, &p->tuple, be, backend_id, flow->lb_port, 0, now) != PORT_CLAIMED)
			return -1;
		flow->last_refresh = now;
	}
	if (p->tcp_flags & (XDP_LB_TCP_FIN | XDP_LB_TCP_RST)) {
		if (!(flow->flags & XDP_LB_FLOW_CLOSING))
			flow->flags |= XDP_LB_FLOW_CLOSING;
		/* The client's side of the close, on the port's reverse entry (if the port
		 * is still this flow's). */
		struct xdp_lb_tuple key = reverse_key(cfg, be, flow->lb_port, p->tuple.proto);
		struct xdp_lb_reverse *r = bpf_map_lookup_elem(&reverse, &key);
		if (r && same_tuple(&r->client, &p->tuple))
			note_close(r, p->tcp_flags, XDP_LB_REVERSE_CLIENT_FIN, now);
	}

	count(XDP_LB_STAT_FLOW_HIT, len);
	rewrite(p, cfg->lb_ip, be->ip, flow->lb_port, be->port);
	count_backend(backend_id, 0, len);
	refresh |= cfg->flags & XDP_LB_CONFIG_FIB_EVERY_PACKET;
	return send(ctx, p, &flow->nexthop, refresh, len);
}

/* A backend's reply to the flow in r: back to the client, from VIP:port. */
static __always_inline int to_client(struct xdp_md *ctx, struct packet *p, const struct xdp_lb_config *cfg,
				     struct xdp_lb_reverse *r, __u32 len)
{
	__u64 now = bpf_jiffies64();
	int refresh = now - r->last_refresh >= refresh_period(cfg);

	if (refresh) {
		r->last_refresh = now;
		note_udp_alive(r, now);
	}
	if (p->tcp_flags & (XDP_LB_TCP_FIN | XDP_LB_TCP_RST))
		note_close(r, p->tcp_flags, XDP_LB_REVERSE_BACKEND_FIN, now);
	refresh |= cfg->flags & XDP_LB_CONFIG_FIB_EVERY_PACKET;
	rewrite(p, r->client.daddr, r->client.saddr, r->client.dport, r->client.sport);
	count(XDP_LB_STAT_REPLY, len);
	count_backend(r->backend_id, 1, len);
	return send(ctx, p, &r->nexthop, refresh, len);
}

/* ---- The program ----------------------------------------------------------------- */

SEC("xdp")
int xdp_lb(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = data_end - data;
	struct packet p;

	__u32 reason = parse(data, data_end, &p);
	if (reason)
		return pass(reason, len);

	__u32 zero = 0;
	const struct xdp_lb_config *cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg)
		return verdict(XDP_ABORTED, len);
	if (cfg->lb_ip == 0 || cfg->port_min == 0 || cfg->port_min > cfg->port_max)
		return pass(XDP_LB_STAT_NOT_CONFIGURED, len);

	/* A reply from a backend: to lb_ip, to a port of the LB's range, known in reverse. */
	__u16 dport = bpf_ntohs(p.tuple.dport);
	if (p.tuple.daddr == cfg->lb_ip && dport >= cfg->port_min && dport <= cfg->port_max) {
		struct xdp_lb_reverse *r = bpf_map_lookup_elem(&reverse, &p.tuple);
		if (r)
			return to_client(ctx, &p, cfg, r, len);
	}

	/* A client packet of a known flow; no service lookup needed (see xdp_lb.h on
	 * removing a service). Looking up flows first makes an established flow's packet
	 * cost one hash lookup; a packet for no service pays two. */
	struct xdp_lb_flow *flow = bpf_map_lookup_elem(&flows, &p.tuple);
	if (flow) {
		int action = follow_flow(ctx, &p, cfg, flow, len);
		if (action >= 0)
			return action;
		count(XDP_LB_STAT_FLOW_RESELECT, len);
	}

	/* The first packet of a flow to a service. */
	struct xdp_lb_service_key key = {
		.vip = p.tuple.daddr,
		.port = p.tuple.dport,
		.proto = p.tuple.proto,
	};
	struct xdp_lb_service *svc = bpf_map_lookup_elem(&services, &key);
	if (!svc)
		return pass(XDP_LB_STAT_NO_SERVICE, len);
	return new_flow(ctx, &p, cfg, svc, len);
}

char _license[] SEC("license") = "GPL";
