#!/usr/bin/env python3
"""xdp_lb_test.py - functional test, live test and benchmark of Fixtures/xdp_lb.bpf.o.

Functional (default): loads the object with bpftool (program and maps pinned under
/sys/fs/bpf/xdplb-test-PID), fills its maps the way a control plane would, feeds crafted
Ethernet/IPv4/TCP/UDP frames through BPF_PROG_TEST_RUN (`bpftool prog run`) and checks
the verdict, the rewritten addresses and ports, the MAC addresses from the kernel's FIB,
the counters, and that the IP and TCP/UDP checksums equal a full recomputation done
here. The program runs inside a private network namespace (veth pairs lb0 and lb1,
static neighbours) so bpf_fib_lookup has routes to find.

--live: real TCP (curl to python's http.server) and UDP (an echo server) from a client
through the LB to two backends, each in its own namespace on a bridge, with xdp_lb
attached to the LB's veth in generic and native mode, checksum offload on and off.

--bench: `bpftool prog run ... repeat 1000000` of the flow-hit path against the seed
Fixtures/xdp-proxy.bpf.o.

    sudo python3 bpf/xdp_lb_test.py [--object Fixtures/xdp_lb.bpf.o] [--live] [--bench]

Needs root, bpftool, ip, nsenter (and ethtool, curl for --live). The root namespace is
never touched; every namespace, pin and process the script makes is removed at the end.
XDPLB_QUICK=1 shortens the random checksum test.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

# ---- Constants mirrored from bpf/xdp_lb.h --------------------------------------------------

MAGLEV_SIZE = 4099
MAX_SERVICES = 16
PORT_PROBES = 8
PORT_SALT = 0x9E3779B9
BACKEND_ACTIVE, BACKEND_DRAINING = 1, 2
FLOW_CLOSING = 1
STATS = ["aborted", "drop", "pass", "tx", "redirect", "not_ipv4", "malformed", "fragment",
         "ip_options", "not_tcp_udp", "not_configured", "no_service", "no_backend",
         "port_exhausted", "fib_no_neigh", "fib_fail", "flow_new", "flow_hit",
         "flow_reselect", "reply"]
XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT = range(5)
TCP, UDP, ICMP = 6, 17, 1
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

# ---- The test topology (inside the private namespace) -------------------------------------

LB_IP = "10.0.0.5"
LB0_MAC, LB1_MAC = "02:00:00:00:00:05", "02:00:00:00:01:05"
VIP = "10.0.0.100"
PORT_MIN, PORT_MAX = 20000, 29999
# id -> (ip, port, neighbour MAC or None, interface)
BACKENDS = {
    1: ("10.0.0.2", 8080, "02:00:00:00:00:02", "lb0"),
    2: ("10.0.1.3", 8080, "02:00:00:00:01:03", "lb1"),
    3: ("10.0.0.3", 8080, "02:00:00:00:00:03", "lb0"),
    4: ("10.0.0.66", 8080, None, "lb0"),        # on-link, no neighbour entry
    5: ("203.0.113.77", 8080, None, None),      # no route at all
}
CLIENT_MAC = "02:00:00:00:00:04"
CONFIG_FIB_EVERY_PACKET = 1
# The kernel's tick rate (CONFIG_HZ): the coarse clock advances once a tick.
HZ = round(1 / time.clock_getres(6))   # 6 = CLOCK_MONOTONIC_COARSE (linux/time.h)


def mix(h):
    """xdp_lb_mix: MurmurHash3's fmix32."""
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h


def flow_hash(src, dst, sport, dport, proto, seed=0):
    """xdp_lb_flow_hash on a little-endian host: fields as the CPU loads them."""
    le32 = lambda ip: int.from_bytes(socket.inet_aton(ip), "little")
    le16 = lambda port: int.from_bytes(port.to_bytes(2, "big"), "little")
    h = mix(seed ^ le32(src))
    h = mix(h ^ le32(dst))
    h = mix(h ^ ((le16(sport) << 16) | le16(dport)))
    return mix(h ^ proto)


def first_port(h):
    return PORT_MIN + mix(h ^ PORT_SALT) % (PORT_MAX - PORT_MIN + 1)


def maglev_table(ids, m=MAGLEV_SIZE):
    """The Maglev population: each backend walks its own permutation of the slots and
    takes the next free one, in turns, until the table is full."""
    perms = []
    for bid in ids:
        d = hashlib.sha256(f"backend-{bid}".encode()).digest()
        perms.append((int.from_bytes(d[:8], "little") % m, int.from_bytes(d[8:16], "little") % (m - 1) + 1))
    table, nxt, filled = [0] * m, [0] * len(ids), 0
    while True:
        for i, bid in enumerate(ids):
            off, skip = perms[i]
            while True:
                c = (off + nxt[i] * skip) % m
                nxt[i] += 1
                if table[c] == 0:
                    break
            table[c] = bid
            filled += 1
            if filled == m:
                return table

# ---- Packets ----------------------------------------------------------------------------------


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def csum(data):
    """The Internet checksum (RFC 1071) of data: ~(one's-complement sum of 16-bit words)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo(src, dst, proto, length):
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto, length)


def frame(proto, src, dst, sport=0, dport=0, flags=ACK, payload=b"", udp_csum=True,
          frag=0, options=b"", ethertype=0x0800, dmac=LB0_MAC, smac=CLIENT_MAC, raw_l4=None):
    """An Ethernet frame with an IPv4 header and a TCP/UDP header whose checksums are right."""
    if proto == TCP:
        l4 = struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000, 5 << 4, flags, 65535, 0, 0) + payload
        l4 = l4[:16] + struct.pack("!H", csum(pseudo(src, dst, TCP, len(l4)) + l4)) + l4[18:]
    elif proto == UDP:
        l4 = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        if udp_csum:
            c = csum(pseudo(src, dst, UDP, len(l4)) + l4) or 0xFFFF
            l4 = l4[:6] + struct.pack("!H", c) + l4[8:]
    else:
        l4 = raw_l4 if raw_l4 is not None else payload
    ihl = 5 + len(options) // 4
    ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(l4), 0x1234, frag, 64, proto, 0,
                     socket.inet_aton(src), socket.inet_aton(dst)) + options
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return mac(dmac) + mac(smac) + struct.pack("!H", ethertype) + ip + l4


def decode(b):
    """Fields of an output frame plus independent checksum verdicts."""
    ip = b[14:34]
    proto = ip[9]
    tot = struct.unpack("!H", ip[2:4])[0]
    l4 = b[34:14 + tot]
    src, dst = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
    sport, dport = struct.unpack("!HH", l4[:4])
    f = dict(dmac=b[0:6].hex(":"), smac=b[6:12].hex(":"), src=src, dst=dst, sport=sport,
             dport=dport, proto=proto, ttl=ip[8], ip_ok=csum(ip) == 0)
    zero_ip = ip[:10] + b"\0\0" + ip[12:]
    f["ip_exact"] = struct.unpack("!H", ip[10:12])[0] == csum(zero_ip)
    if proto == TCP:
        got = struct.unpack("!H", l4[16:18])[0]
        f["l4_check"] = got
        f["l4_ok"] = csum(pseudo(src, dst, TCP, len(l4)) + l4) == 0
        f["l4_exact"] = got == csum(pseudo(src, dst, TCP, len(l4)) + l4[:16] + b"\0\0" + l4[18:])
    else:
        got = struct.unpack("!H", l4[6:8])[0]
        f["l4_check"] = got
        full = csum(pseudo(src, dst, UDP, len(l4)) + l4[:6] + b"\0\0" + l4[8:]) or 0xFFFF
        f["l4_ok"] = got == 0 or csum(pseudo(src, dst, UDP, len(l4)) + l4) == 0
        f["l4_exact"] = got == 0 or got == full
    return f

# ---- Running things ----------------------------------------------------------------------------


def sh(*args, check=True, **kw):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}: {r.stderr.strip() or r.stdout.strip()}")
    return r


def hexbytes(b):
    return ["hex"] + [f"{x:02x}" for x in b]


class Lab:
    """A loaded xdp_lb (pinned), its maps, and a private network namespace."""

    def __init__(self, obj, tag):
        self.ns = f"xdplb-{tag}-{os.getpid()}"
        self.pin = f"/sys/fs/bpf/xdplb-{tag}-{os.getpid()}"
        self.tmp = tempfile.mkdtemp(prefix="xdplb-")
        self.obj = obj
        self.packets = 0   # frames run through the program (repeat counted)

    def __enter__(self):
        sh("bpftool", "prog", "loadall", self.obj, self.pin, "pinmaps", f"{self.pin}/maps")
        ns = self.ns
        sh("ip", "netns", "add", ns)
        ipn = lambda *a: sh("ip", "-n", ns, *a)
        ipn("link", "set", "lo", "up")
        ipn("link", "add", "lb0", "address", LB0_MAC, "type", "veth", "peer", "name", "peer0")
        ipn("link", "add", "lb1", "address", LB1_MAC, "type", "veth", "peer", "name", "peer1")
        for dev in ("lb0", "peer0", "lb1", "peer1"):
            ipn("link", "set", dev, "up")
        ipn("addr", "add", f"{LB_IP}/24", "dev", "lb0")
        ipn("addr", "add", "10.0.1.5/24", "dev", "lb1")
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.forwarding=1")
        for ip, _, hw, dev in BACKENDS.values():
            if hw:
                ipn("neigh", "replace", ip, "lladdr", hw, "dev", dev, "nud", "permanent")
        ipn("neigh", "replace", "10.0.0.4", "lladdr", CLIENT_MAC, "dev", "lb0", "nud", "permanent")
        self.ifindex = {d: json.loads(ipn("-j", "link", "show", d).stdout)[0]["ifindex"] for d in ("lb0", "lb1")}
        return self

    def __exit__(self, *exc):
        sh("ip", "netns", "del", self.ns, check=False)
        shutil.rmtree(self.pin, ignore_errors=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def neigh(self, ip, hw, dev="lb0"):
        sh("ip", "-n", self.ns, "neigh", "replace", ip, "lladdr", hw, "dev", dev, "nud", "permanent")

    # maps
    def m(self, name):
        return f"{self.pin}/maps/{name}"

    def update(self, name, key, value):
        sh("bpftool", "map", "update", "pinned", self.m(name), "key", *hexbytes(key), "value", *hexbytes(value))

    def batch(self, lines):
        path = os.path.join(self.tmp, "batch")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        sh("bpftool", "batch", "file", path)

    def lookup(self, name, key):
        r = sh("bpftool", "-j", "map", "lookup", "pinned", self.m(name), "key", *hexbytes(key), check=False)
        if r.returncode != 0 or r.stdout.strip() in ("", "null"):
            return None
        return bytes(int(x, 16) for x in json.loads(r.stdout)["value"])

    def entries(self, name):
        out = json.loads(sh("bpftool", "-j", "map", "dump", "pinned", self.m(name)).stdout)
        return [(bytes(int(x, 16) for x in e["key"]), bytes(int(x, 16) for x in e["value"])) for e in out]

    def clear(self, name):
        for k, _ in self.entries(name):
            sh("bpftool", "map", "delete", "pinned", self.m(name), "key", *hexbytes(k))

    def percpu(self, name, key):
        out = json.loads(sh("bpftool", "-j", "map", "lookup", "pinned", self.m(name), "key", *hexbytes(key)).stdout)
        rows = [bytes(int(x, 16) for x in c["value"]) for c in out["values"]]
        n = len(rows[0]) // 8
        return [sum(struct.unpack(f"<{n}Q", r)[i] for r in rows) for i in range(n)]

    def stats(self):
        return {s: self.percpu("stats", struct.pack("<I", i))[0] for i, s in enumerate(STATS)}

    # the program
    def run(self, pkt, dev="lb0", repeat=1):
        din, dout, ctx = (os.path.join(self.tmp, n) for n in ("in", "out", "ctx"))
        with open(din, "wb") as f:
            f.write(pkt)
        with open(ctx, "wb") as f:   # struct xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue, egress
            f.write(struct.pack("<6I", 0, len(pkt), 0, self.ifindex[dev], 0, 0))
        r = sh("nsenter", f"--net=/run/netns/{self.ns}", "bpftool", "prog", "run", "pinned",
               f"{self.pin}/xdp_lb", "data_in", din, "data_out", dout, "ctx_in", ctx, "repeat", repeat)
        self.packets += repeat
        m = re.search(r"Return value: (\d+), duration(?: \(average\))?: (\d+)ns", r.stdout + r.stderr)
        with open(dout, "rb") as f:
            return int(m.group(1)), f.read(), int(m.group(2))

    # control plane
    def configure(self, lb_ip=LB_IP, pmin=PORT_MIN, pmax=PORT_MAX, seed=0, flags=0, refresh=None):
        """config[0]; refresh (jiffies) defaults to HZ: one second."""
        value = socket.inet_aton(lb_ip) + struct.pack("<HHIIII", pmin, pmax, seed, flags, refresh if refresh is not None else HZ, 0)
        self.update("config", struct.pack("<I", 0), value)

    def backend(self, bid, flags=BACKEND_ACTIVE, ip=None, port=None):
        bip, bport = (ip, port) if ip else BACKENDS[bid][:2]
        self.update("backends", struct.pack("<I", bid), socket.inet_aton(bip) + struct.pack("!H", bport) + struct.pack("<H", flags))

    def service(self, vip, port, proto, sid):
        self.update("services", socket.inet_aton(vip) + struct.pack("!HBB", port, proto, 0), struct.pack("<II", sid, 0))

    def fill_maglev(self, sid, table):
        base = sid * MAGLEV_SIZE
        self.batch([f"map update pinned {self.m('maglev')} key {' '.join(hexbytes(struct.pack('<I', base + i)))} "
                    f"value {' '.join(hexbytes(struct.pack('<I', b)))}" for i, b in enumerate(table)])


def tuple_key(src, dst, sport, dport, proto):
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!HHB3x", sport, dport, proto)

# ---- The checks ----------------------------------------------------------------------------------


class Checker:
    def __init__(self):
        self.failures, self.count = [], 0

    def __call__(self, cond, what):
        self.count += 1
        if not cond:
            self.failures.append(what)
            print(f"  FAIL {what}")


def delta(before, after):
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def functional(lab, ck):
    t = lambda title: print(f"- {title}")
    rxb = lambda bid: BACKENDS[bid][0]

    t("unconfigured: everything passes untouched")
    pkt = frame(TCP, "10.0.0.4", VIP, 40000, 80, SYN)
    s0 = lab.stats()
    rc, out, _ = lab.run(pkt)
    ck(rc == XDP_PASS and out == pkt, "unconfigured frame passes untouched")
    ck(delta(s0, lab.stats()) == {"pass": 1, "not_configured": 1}, "counted as pass/not_configured")

    lab.configure()
    for bid in BACKENDS:
        lab.backend(bid)
    lab.service(VIP, 80, TCP, 0)
    lab.service(VIP, 53, UDP, 1)
    table = maglev_table([1, 2, 3])
    lab.fill_maglev(0, table)
    lab.fill_maglev(1, [1] * MAGLEV_SIZE)

    t("not for a service: passes untouched, with the reason counted")
    cases = [
        ("not_ipv4", frame(TCP, "10.0.0.4", VIP, 1, 80, ethertype=0x0806)),
        ("not_ipv4", frame(TCP, "10.0.0.4", VIP, 1, 80, ethertype=0x86DD)),
        ("malformed", frame(TCP, "10.0.0.4", VIP, 40000, 80)[:40]),
        ("malformed", frame(TCP, "10.0.0.4", VIP, 40000, 80)[:14]),   # Ethernet header only
        ("fragment", frame(UDP, "10.0.0.4", VIP, 40000, 53, frag=0x2000)),
        ("fragment", frame(UDP, "10.0.0.4", VIP, 40000, 53, frag=0x0010)),
        ("ip_options", frame(TCP, "10.0.0.4", VIP, 40000, 80, options=b"\x01\x01\x01\x00")),
        ("not_tcp_udp", frame(ICMP, "10.0.0.4", VIP, raw_l4=b"\x08\x00\xf7\xff\x00\x00\x00\x00")),
        ("no_service", frame(TCP, "10.0.0.4", VIP, 40000, 81)),
        ("no_service", frame(UDP, "10.0.0.4", VIP, 40000, 80)),
        ("no_service", frame(TCP, "10.0.0.4", "10.0.0.101", 40000, 80)),
        ("no_service", frame(TCP, "10.0.0.2", LB_IP, 8080, 20001)),   # in range, no reverse entry
    ]
    for reason, pkt in cases:
        s0 = lab.stats()
        rc, out, _ = lab.run(pkt)
        ck(rc == XDP_PASS and out == pkt, f"{reason}: passes untouched")
        ck(delta(s0, lab.stats()) == {"pass": 1, reason: 1}, f"{reason}: counted")

    t("a new TCP flow: Maglev backend, LB source port, FIB next hop, checksums")
    client = ("10.0.0.4", 40000)
    h = flow_hash(client[0], VIP, client[1], 80, TCP)
    want = table[h % MAGLEV_SIZE]
    pkt = frame(TCP, client[0], VIP, client[1], 80, SYN, payload=b"hello")
    s0 = lab.stats()
    rc, out, _ = lab.run(pkt)
    f = decode(out)
    bip, bport, bmac, bdev = BACKENDS[want]
    ck(f["src"] == LB_IP and f["dst"] == bip and f["dport"] == bport, f"rewritten to {LB_IP} -> {bip}:{bport}: {f}")
    ck(f["sport"] == first_port(h), f"source port {f['sport']} is the hashed first port {first_port(h)}")
    ck(f["ip_ok"] and f["ip_exact"] and f["l4_ok"] and f["l4_exact"], f"checksums verify and equal a recomputation {f}")
    ck(out[34 + 20:] == b"hello" and f["ttl"] == 64, "payload and TTL unchanged")
    ck(rc == (XDP_TX if bdev == "lb0" else XDP_REDIRECT), f"verdict {rc} for egress {bdev}")
    ck(f["dmac"] == bmac and f["smac"] == (LB0_MAC if bdev == "lb0" else LB1_MAC), "MACs from the FIB")
    ck(delta(s0, lab.stats()) == {"flow_new": 1, ("tx" if bdev == "lb0" else "redirect"): 1}, "counted flow_new + verdict")
    flow = lab.lookup("flows", tuple_key(client[0], VIP, client[1], 80, TCP))
    ck(flow is not None and struct.unpack("<I", flow[:4])[0] == want and struct.unpack("!H", flow[4:6])[0] == f["sport"],
       "flows entry records backend and port")
    rev = lab.lookup("reverse", tuple_key(bip, LB_IP, bport, f["sport"], TCP))
    ck(rev is not None and rev[:20] == tuple_key(client[0], VIP, client[1], 80, TCP) + struct.pack("<I", want),
       "reverse entry names the client")
    bstats = lab.percpu("backend_stats", struct.pack("<I", want))
    ck(bstats[0] == 1 and bstats[1] == len(pkt), f"backend_stats[{want}] to: {bstats}")
    first = (want, f["sport"])

    t("the same flow again follows its entry")
    rc, out, _ = lab.run(frame(TCP, client[0], VIP, client[1], 80, ACK))
    f = decode(out)
    ck((f["dst"], f["sport"]) == (bip, first[1]) and f["l4_exact"] and f["ip_exact"], "same backend and port")

    t("the backend's reply goes back to the client from VIP:80")
    reply = frame(TCP, bip, LB_IP, bport, first[1], SYN | ACK, payload=b"world", dmac=LB0_MAC, smac=bmac or LB1_MAC)
    s0 = lab.stats()
    rc, out, _ = lab.run(reply, dev=bdev)
    f = decode(out)
    ck((f["src"], f["sport"], f["dst"], f["dport"]) == (VIP, 80, client[0], client[1]), f"reply rewritten {f}")
    ck(f["ip_exact"] and f["l4_exact"] and f["l4_ok"], "reply checksums")
    ck(f["dmac"] == CLIENT_MAC and f["smac"] == LB0_MAC, "reply MACs")
    ck(rc == (XDP_REDIRECT if bdev == "lb1" else XDP_TX), "reply verdict (redirect when it came in on lb1)")
    ck(delta(s0, lab.stats()) == {"reply": 1, ("tx" if bdev == "lb0" else "redirect"): 1}, "counted reply")
    ck(lab.percpu("backend_stats", struct.pack("<I", want))[2] == 1, "backend_stats from")

    t("a lost reverse entry is restored by the flow's once-a-second refresh")
    rkey = tuple_key(bip, LB_IP, bport, first[1], TCP)
    sh("bpftool", "map", "delete", "pinned", lab.m("reverse"), "key", *hexbytes(rkey))
    time.sleep(1.1)
    rc, out, _ = lab.run(frame(TCP, client[0], VIP, client[1], 80, ACK))
    ck(decode(out)["sport"] == first[1] and (lab.lookup("reverse", rkey) or b"")[:20] == rev[:20],
       "reverse entry re-created, same port")

    t("a flow whose port was taken over meanwhile re-selects instead of sharing it")
    other = tuple_key("10.0.0.99", VIP, 999, 80, TCP) + struct.pack("<I", want) + bytes(36)  # sizeof(struct xdp_lb_reverse) = 56
    lab.update("reverse", rkey, other)
    time.sleep(1.1)
    s0 = lab.stats()
    rc, out, _ = lab.run(frame(TCP, client[0], VIP, client[1], 80, ACK))
    f = decode(out)
    ck(f["sport"] != first[1] and delta(s0, lab.stats()).get("flow_reselect") == 1, f"new port {f['sport']}, reselect counted")
    ck(lab.lookup("reverse", rkey) == other, "the other flow keeps its port")
    first = (want, f["sport"])

    t("300 clients: Maglev shares, unique (backend, port), correct checksums")
    assign, ports = {}, set()
    ok = True
    for i in range(300):
        c = (f"10.0.{2 + i // 200}.{1 + i % 200}", 1024 + 7 * i)
        rc, out, _ = lab.run(frame(TCP, c[0], VIP, c[1], 80, SYN, payload=bytes([i % 256]) * (i % 7)))
        f = decode(out)
        hh = flow_hash(c[0], VIP, c[1], 80, TCP)
        bid = table[hh % MAGLEV_SIZE]
        ok &= f["dst"] == rxb(bid) and f["ip_exact"] and f["l4_exact"] and PORT_MIN <= f["sport"] <= PORT_MAX
        ok &= (f["sport"] - first_port(hh)) % (PORT_MAX - PORT_MIN + 1) < PORT_PROBES
        ports.add((bid, f["sport"]))
        assign[c] = (bid, f["sport"])
    counts = {b: sum(1 for v in assign.values() if v[0] == b) for b in (1, 2, 3)}
    ck(ok, "every flow went to its Maglev slot's backend with verified checksums")
    ck(len(ports) == 300, "no two flows share a backend and source port")
    ck(all(60 <= n <= 140 for n in counts.values()), f"roughly even split {counts}")

    t("the Maglev table changes: established flows stay, new flows follow the new table")
    table2 = maglev_table([1, 3])
    moved = sum(1 for a, b in zip(table, table2) if a != b and a != 2)
    ck(moved < MAGLEV_SIZE // 20, f"removing backend 2 moves few slots of the others ({moved})")
    lab.fill_maglev(0, table2)
    lab.backend(2, BACKEND_DRAINING)
    ok = True
    for c, (bid, port) in assign.items():
        rc, out, _ = lab.run(frame(TCP, c[0], VIP, c[1], 80, ACK))
        f = decode(out)
        ok &= (f["dst"], f["sport"]) == (rxb(bid), port)
    ck(ok, "all 300 established flows (incl. those on draining backend 2) kept backend and port")
    ok = True
    for i in range(50):
        c = ("10.0.9.9", 5000 + i)
        rc, out, _ = lab.run(frame(TCP, c[0], VIP, c[1], 80, SYN))
        ok &= decode(out)["dst"] == rxb(table2[flow_hash(c[0], VIP, c[1], 80, TCP) % MAGLEV_SIZE])
    ck(ok, "50 new flows follow the new table, none to draining backend 2")

    t("state lost (flows emptied): consistent hashing brings unmoved flows back to the same backend and port")
    lab.clear("flows")
    same = total = ok = 0
    for c, (bid, port) in assign.items():
        now = table2[flow_hash(c[0], VIP, c[1], 80, TCP) % MAGLEV_SIZE]
        rc, out, _ = lab.run(frame(TCP, c[0], VIP, c[1], 80, ACK))
        f = decode(out)
        ok += f["dst"] == rxb(now)
        if now == bid:
            total += 1
            same += (f["dst"], f["sport"]) == (rxb(bid), port)
    ck(ok == len(assign), f"{ok}/{len(assign)} flows went to the current table's backend")
    ck(same == total and total > 190, f"{same}/{total} flows whose slot kept its backend resumed with the same port")

    t("backend removed for good (flags 0): its flows re-select")
    c2 = ("10.0.8.8", 8888)
    lab.backend(2)
    lab.fill_maglev(0, [2] * MAGLEV_SIZE)
    ck(decode(lab.run(frame(TCP, c2[0], VIP, c2[1], 80, SYN))[1])["dst"] == rxb(2), "a flow on backend 2")
    lab.fill_maglev(0, table2)
    lab.backend(2, BACKEND_DRAINING)
    ck(decode(lab.run(frame(TCP, c2[0], VIP, c2[1], 80, ACK))[1])["dst"] == rxb(2), "stays while draining")
    lab.backend(2, 0)
    s0 = lab.stats()
    rc, out, _ = lab.run(frame(TCP, c2[0], VIP, c2[1], 80, ACK))
    f = decode(out)
    ck(f["dst"] == rxb(table2[flow_hash(c2[0], VIP, c2[1], 80, TCP) % MAGLEV_SIZE]), "moved to its new Maglev backend")
    ck(delta(s0, lab.stats()).get("flow_reselect") == 1 and delta(s0, lab.stats()).get("flow_new") == 1, "counted reselect")
    lab.backend(2)

    t("TCP FIN marks the flow closing; a later SYN starts a new flow")
    c = ("10.0.0.4", 40000)
    lab.fill_maglev(0, [1] * MAGLEV_SIZE)
    lab.run(frame(TCP, c[0], VIP, c[1], 80, FIN | ACK))
    flow = lab.lookup("flows", tuple_key(c[0], VIP, c[1], 80, TCP))
    ck(struct.unpack("<H", flow[6:8])[0] & FLOW_CLOSING, "FIN set XDP_LB_FLOW_CLOSING")
    ck(decode(lab.run(frame(TCP, c[0], VIP, c[1], 80, ACK))[1])["dst"] == rxb(1), "non-SYN keeps the backend")
    lab.fill_maglev(0, [3] * MAGLEV_SIZE)
    rc, out, _ = lab.run(frame(TCP, c[0], VIP, c[1], 80, SYN))
    ck(decode(out)["dst"] == rxb(3), "SYN on a closing flow takes the new Maglev choice")

    t("UDP: checksum rewritten; checksum 0 stays 0")
    for with_csum in (True, False):
        pkt = frame(UDP, "10.0.0.4", VIP, 5353, 53, payload=b"query", udp_csum=with_csum)
        rc, out, _ = lab.run(pkt)
        f = decode(out)
        ck(f["dst"] == rxb(1) and f["ip_exact"] and f["l4_ok"] and f["l4_exact"], f"UDP csum={with_csum}: {f}")
        ck((f["l4_check"] == 0) == (not with_csum), "UDP zero checksum kept as 0")
        back = frame(UDP, rxb(1), LB_IP, 8080, f["sport"], payload=b"answer", udp_csum=with_csum, smac=BACKENDS[1][2])
        f = decode(lab.run(back)[1])
        ck((f["src"], f["sport"], f["dst"], f["dport"]) == (VIP, 53, "10.0.0.4", 5353) and f["l4_exact"] and f["ip_exact"],
           f"UDP reply csum={with_csum}")

    t("checksum arithmetic over 2000 random flows and payloads (TCP and UDP)")
    import random
    rnd = random.Random(7)
    lab.fill_maglev(0, table)
    ok = True
    for i in range(2000 if os.environ.get("XDPLB_QUICK") is None else 200):
        proto = rnd.choice((TCP, UDP))
        src = socket.inet_ntoa(rnd.getrandbits(32).to_bytes(4, "big"))
        sp = rnd.randrange(1, 65536)
        pl = rnd.randbytes(rnd.randrange(0, 40))
        rc, out, _ = lab.run(frame(proto, src, VIP, sp, 80 if proto == TCP else 53, rnd.getrandbits(8) & ~(FIN | RST), pl))
        f = decode(out)
        ok &= f["ip_exact"] and f["l4_exact"] and f["l4_ok"] and f["src"] == LB_IP
        if not ok:
            print(f"    first bad case: {proto} {src}:{sp} payload {pl.hex()} -> {f}")
            break
    ck(ok, "every rewritten checksum equals a full recomputation")

    t("no backend: empty Maglev slots or inactive backend drop")
    lab.service(VIP, 443, TCP, 2)
    s0 = lab.stats()
    rc, _, _ = lab.run(frame(TCP, "10.0.0.4", VIP, 40001, 443, SYN))
    ck(rc == XDP_DROP and delta(s0, lab.stats()) == {"drop": 1, "no_backend": 1}, "empty table: drop/no_backend")
    lab.fill_maglev(2, [2] * MAGLEV_SIZE)
    lab.backend(2, BACKEND_DRAINING)
    rc, _, _ = lab.run(frame(TCP, "10.0.0.4", VIP, 40002, 443, SYN))
    ck(rc == XDP_DROP, "a new flow is never sent to a draining backend")
    lab.backend(2)

    t("FIB failures pass the rewritten packet")
    for bid, stat in ((4, "fib_no_neigh"), (5, "fib_fail")):
        lab.fill_maglev(2, [bid] * MAGLEV_SIZE)
        s0 = lab.stats()
        rc, out, _ = lab.run(frame(TCP, "10.0.0.4", VIP, 41000 + bid, 443, SYN))
        f = decode(out)
        ck(rc == XDP_PASS and f["dst"] == rxb(bid) and f["l4_exact"] and delta(s0, lab.stats()).get(stat) == 1,
           f"backend {bid}: pass, rewritten, {stat}")
    lab.neigh(BACKENDS[4][0], "02:00:00:00:00:66")
    rc, out, _ = lab.run(frame(TCP, "10.0.0.4", VIP, 41004, 443, ACK))
    ck(rc == XDP_TX and decode(out)["dmac"] == "02:00:00:00:00:66", "once the neighbour exists the same flow is sent")

    t("next hops are cached per flow and follow a neighbour change within a second")
    lab.configure()
    lab.fill_maglev(2, [1] * MAGLEV_SIZE)
    c = ("10.0.6.6", 6666)
    dm = lambda: decode(lab.run(frame(TCP, c[0], VIP, c[1], 443, ACK))[1])["dmac"]
    ck(dm() == BACKENDS[1][2], "first packet: the neighbour's MAC")
    lab.neigh(BACKENDS[1][0], "02:00:00:00:aa:02")
    ck(dm() == BACKENDS[1][2], "right after the change: the cached MAC")
    time.sleep(1.1)
    ck(dm() == "02:00:00:00:aa:02", "a second later: the new MAC")
    lab.configure(flags=CONFIG_FIB_EVERY_PACKET)
    lab.neigh(BACKENDS[1][0], BACKENDS[1][2])
    ck(dm() == BACKENDS[1][2], "XDP_LB_CONFIG_FIB_EVERY_PACKET: at once")
    s0 = lab.stats()
    sh("ip", "-n", lab.ns, "neigh", "del", BACKENDS[1][0], "dev", "lb0")
    rc, out, _ = lab.run(frame(TCP, c[0], VIP, c[1], 443, ACK))
    ck(rc == XDP_PASS and delta(s0, lab.stats()).get("fib_no_neigh") == 1, "neighbour gone: pass, fib_no_neigh")
    lab.neigh(BACKENDS[1][0], BACKENDS[1][2])
    lab.configure()

    t("source ports: one-port range; collisions never share a port")
    lab.configure(pmin=30000, pmax=30000)
    lab.fill_maglev(2, [1] * MAGLEV_SIZE)
    rc1, out1, _ = lab.run(frame(TCP, "10.0.7.1", VIP, 1111, 443, SYN))
    s0 = lab.stats()
    rc2, _, _ = lab.run(frame(TCP, "10.0.7.2", VIP, 2222, 443, SYN))
    ck(decode(out1)["sport"] == 30000 and rc2 == XDP_DROP and delta(s0, lab.stats()).get("port_exhausted") == 1,
       "second flow to the same backend: port_exhausted drop")
    lab.fill_maglev(2, [3] * MAGLEV_SIZE)
    rc3, out3, _ = lab.run(frame(TCP, "10.0.7.2", VIP, 2222, 443, SYN))
    ck(decode(out3)["sport"] == 30000 and decode(out3)["dst"] == rxb(3), "another backend has its own port space")
    lab.configure()

    t("the verdict counters add up")
    st = lab.stats()
    verdicts = sum(st[k] for k in ("aborted", "drop", "pass", "tx", "redirect"))
    ck(verdicts == lab.packets and st["aborted"] == 0, f"{verdicts} verdicts for {lab.packets} frames, no aborts")


def bench(obj, seed_obj, ck):
    """bpftool prog run ... repeat 1000000: xdp_lb's flow-hit path vs the seed."""
    print("- benchmark (bpftool prog run repeat 1000000)")
    results = {}
    seed_pkt = frame(TCP, "198.18.0.4", "198.18.0.5", 40000, 80, ACK, payload=b"x" * 20)
    pin = f"/sys/fs/bpf/xdplb-seed-{os.getpid()}"
    try:
        sh("bpftool", "prog", "loadall", seed_obj, pin)
        tmp = tempfile.mkdtemp()
        with open(f"{tmp}/in", "wb") as f:
            f.write(seed_pkt)
        runs = []
        for _ in range(5):
            r = sh("bpftool", "prog", "run", "pinned", f"{pin}/xdp_proxy", "data_in", f"{tmp}/in",
                   "data_out", f"{tmp}/out", "repeat", 1000000)
            runs.append(int(re.search(r"duration \(average\): (\d+)ns", r.stdout + r.stderr).group(1)))
        results["seed xdp-proxy (XDP_TX)"] = runs
        shutil.rmtree(tmp)
    finally:
        shutil.rmtree(pin, ignore_errors=True)

    with Lab(obj, "bench") as lab:
        # A packet the NAT maps to itself, so every repetition is a flow hit with full work:
        # client = lb_ip:P, VIP = backend = 10.0.0.7:80, a one-port range {P}.
        lab.neigh("10.0.0.7", "02:00:00:00:00:07")
        lab.configure(pmin=20000, pmax=20000)
        lab.backend(1, ip="10.0.0.7", port=80)
        lab.service("10.0.0.7", 80, TCP, 0)
        lab.fill_maglev(0, [1] * MAGLEV_SIZE)
        pkt = frame(TCP, LB_IP, "10.0.0.7", 20000, 80, ACK, payload=b"x" * 20)
        rc, out, _ = lab.run(pkt)
        ck(rc == XDP_TX and decode(out)["src"] == LB_IP and decode(out)["sport"] == 20000, "bench packet is a fixed point")
        runs = []
        for _ in range(5):
            s0 = lab.stats()
            rc, _, ns = lab.run(pkt, repeat=1000000)
            d = delta(s0, lab.stats())
            ck(d.get("flow_hit") == 1000000 and d.get("tx") == 1000000, f"all repetitions were flow hits {d}")
            runs.append(ns)
        results["xdp_lb flow hit, cached next hop (XDP_TX)"] = runs
        lab.configure(pmin=20000, pmax=20000, flags=CONFIG_FIB_EVERY_PACKET)
        results["xdp_lb flow hit, FIB every packet (XDP_TX)"] = [lab.run(pkt, repeat=1000000)[2] for _ in range(5)]
        no_svc = frame(TCP, "10.0.0.4", VIP, 40000, 81, ACK, payload=b"x" * 20)
        results["xdp_lb not for a service (XDP_PASS)"] = [lab.run(no_svc, repeat=1000000)[2] for _ in range(5)]
    for k, v in results.items():
        print(f"    {k:45s} median {sorted(v)[2]} ns  (runs: {v})")
    return results


# ---- Live: real TCP and UDP through the LB attached to a veth -------------------------------

LIVE_HOSTS = {"client": "10.1.0.4", "lb": "10.1.0.5", "b1": "10.1.0.2", "b2": "10.1.0.3"}
LIVE_VIP = "10.1.0.100"

UDP_ECHO = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 5353))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(sys.argv[2].encode() + b":" + data, peer)
"""


def live(obj, pass_obj, ck, mode, offload):
    """One-armed LB on a bridge, like the seed's docker setup: client, lb, b1, b2 in their
    own namespaces; the LB owns the VIP, xdp_lb runs on its eth0 (mode xdpgeneric or
    xdpdrv), backends serve HTTP on 8080 and UDP echo on 5353. offload=False turns TX and
    RX checksum offload off everywhere, so every receiver verifies every checksum."""
    print(f"- live: {mode}, checksum offload {'on' if offload else 'off'}")
    tag = f"{os.getpid()}"
    ns = {h: f"xdplb-live-{tag}-{h}" for h in list(LIVE_HOSTS) + ["br"]}
    pin = f"/sys/fs/bpf/xdplb-live-{tag}"
    procs, tmp = [], tempfile.mkdtemp(prefix="xdplb-live-")
    nsx = lambda h, *a, **kw: sh("nsenter", f"--net=/run/netns/{ns[h]}", *a, **kw)
    try:
        for n in ns.values():
            sh("ip", "netns", "add", n)
        sh("ip", "-n", ns["br"], "link", "add", "br0", "type", "bridge")
        sh("ip", "-n", ns["br"], "link", "set", "br0", "up")
        for h, ip in LIVE_HOSTS.items():
            sh("ip", "-n", ns["br"], "link", "add", f"p-{h}", "type", "veth", "peer", "name", "eth0", "netns", ns[h])
            sh("ip", "-n", ns["br"], "link", "set", f"p-{h}", "master", "br0", "up")
            sh("ip", "-n", ns[h], "link", "set", "lo", "up")
            sh("ip", "-n", ns[h], "addr", "add", f"{ip}/24", "dev", "eth0")
            sh("ip", "-n", ns[h], "link", "set", "eth0", "up")
            if not offload:
                nsx(h, "ethtool", "-K", "eth0", "tx", "off", "rx", "off")
                nsx("br", "ethtool", "-K", f"p-{h}", "tx", "off", "rx", "off")
        sh("ip", "-n", ns["lb"], "addr", "add", f"{LIVE_VIP}/32", "dev", "eth0")
        for key in ("all.forwarding=1", "all.accept_local=1", "eth0.accept_local=1", "all.send_redirects=0",
                    "eth0.send_redirects=0", "all.rp_filter=0", "eth0.rp_filter=0"):
            nsx("lb", "sysctl", "-qw", f"net.ipv4.conf.{key}")

        sh("bpftool", "prog", "loadall", obj, pin, "pinmaps", f"{pin}/maps")
        lab = Lab.__new__(Lab)
        lab.pin, lab.tmp = pin, tmp
        lab.configure(lb_ip=LIVE_HOSTS["lb"])
        lab.backend(1, ip=LIVE_HOSTS["b1"], port=8080)
        lab.backend(2, ip=LIVE_HOSTS["b2"], port=8080)
        lab.backend(3, ip=LIVE_HOSTS["b1"], port=5353)
        lab.backend(4, ip=LIVE_HOSTS["b2"], port=5353)
        lab.service(LIVE_VIP, 80, TCP, 0)
        lab.service(LIVE_VIP, 53, UDP, 1)
        lab.fill_maglev(0, maglev_table([1, 2]))
        lab.fill_maglev(1, maglev_table([3, 4]))
        if mode == "xdpdrv":   # frames sent with XDP_TX on a veth need NAPI on its peer
            sh("bpftool", "prog", "loadall", pass_obj, f"{pin}-peer")
            nsx("br", "ip", "link", "set", "dev", "p-lb", "xdpdrv", "pinned", f"{pin}-peer/xdp_pass")
        nsx("lb", "ip", "link", "set", "dev", "eth0", mode, "pinned", f"{pin}/xdp_lb")

        for b in ("b1", "b2"):
            os.makedirs(f"{tmp}/{b}")
            with open(f"{tmp}/{b}/index.html", "w") as f:
                f.write(b)
            procs.append(subprocess.Popen(["nsenter", f"--net=/run/netns/{ns[b]}", "python3", "-m", "http.server",
                                           "8080", "--bind", LIVE_HOSTS[b], "--directory", f"{tmp}/{b}"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            procs.append(subprocess.Popen(["nsenter", f"--net=/run/netns/{ns[b]}", "python3", "-c", UDP_ECHO,
                                           LIVE_HOSTS[b], b], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1.5)

        answers = []
        for i in range(12):
            r = nsx("client", "curl", "-s", "--max-time", "3", "--local-port", str(30000 + i),
                    f"http://{LIVE_VIP}/", check=False)
            answers.append(r.stdout.strip() or f"curl exit {r.returncode}")
        ck(all(a in ("b1", "b2") for a in answers), f"12 HTTP requests to the VIP answered: {answers}")
        ck({"b1", "b2"} <= set(answers), "both backends served")
        udp = nsx("client", "python3", "-c", "\n".join([
            "import socket",
            "out = []",
            "for i in range(6):",
            "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)",
            f"    s.bind(('{LIVE_HOSTS['client']}', 31000 + i)); s.sendto(b'ping%d' % i, ('{LIVE_VIP}', 53))",
            "    try: out.append(s.recvfrom(2048)[0].decode() + '@' + s.getsockname()[0])",
            "    except OSError as e: out.append('timeout')",
            "print(' '.join(out))"]), check=False).stdout.split()
        ck(len(udp) == 6 and all(u.split(":")[0] in ("b1", "b2") for u in udp), f"UDP echo through the VIP: {udp}")
        st = lab.stats()
        print(f"    stats: { {k: v for k, v in st.items() if v} }")
        ck(st["reply"] > 0 and st["aborted"] == 0, "replies were translated by XDP")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()
        for n in ns.values():
            sh("ip", "netns", "del", n, check=False)
        for d in (pin, f"{pin}-peer", tmp):
            shutil.rmtree(d, ignore_errors=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--object", default=os.path.join(here, "..", "Fixtures", "xdp_lb.bpf.o"))
    ap.add_argument("--seed-object", default=os.path.join(here, "..", "Fixtures", "xdp-proxy.bpf.o"))
    ap.add_argument("--bench", action="store_true", help="also time it against the seed")
    ap.add_argument("--bench-only", action="store_true", help="only the timing")
    ap.add_argument("--live", action="store_true",
                    help="also real TCP/UDP through the LB on veths (generic and native XDP)")
    ap.add_argument("--live-only", action="store_true", help="only the live test")
    ap.add_argument("--pass-object", default=os.path.join(here, "..", "Fixtures", "xdp_pass.bpf.o"))
    args = ap.parse_args()
    ck = Checker()
    if not args.bench_only and not args.live_only:
        with Lab(args.object, "test") as lab:
            functional(lab, ck)
    if args.live or args.live_only:
        for mode, offload in (("xdpgeneric", True), ("xdpgeneric", False), ("xdpdrv", False)):
            live(args.object, args.pass_object, ck, mode, offload)
    if args.bench or args.bench_only:
        bench(args.object, args.seed_object, ck)
    print(f"{ck.count - len(ck.failures)}/{ck.count} checks passed")
    sys.exit(1 if ck.failures else 0)


if __name__ == "__main__":
    main()
