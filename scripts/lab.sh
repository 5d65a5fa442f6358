#!/usr/bin/env bash
# lab.sh - the network-namespace lab that swift-xdp's end-to-end tests and demo run in.
#
# Five network namespaces, named after the lab NAME:
#
#   NAME-br      the "wire": bridge br0 with one port per host (client, lb, backend2, backend3)
#   NAME-client  eth0 198.18.0.4/24  02:00:c6:12:00:04
#   NAME-lb      eth0 198.18.0.5/24  02:00:c6:12:00:05   (the XDP load balancer goes here)
#   NAME-b2      eth0 198.18.0.2/24  02:00:c6:12:00:02   HTTP :80 -> "Hostname: backend-2"
#   NAME-b3      eth0 198.18.0.3/24  02:00:c6:12:00:03   HTTP :80 -> "Hostname: backend-3"
#
# Every host's MAC differs only in the last byte, which is the host number: the seed load
# balancers rewrite only that byte. Each host's eth0 is one end of a veth pair whose other
# end is created directly in NAME-br, so the root namespace's interfaces are never touched.
# Every host gets permanent neighbour entries for the others, so no test waits for ARP.
#
# Usage:
#   lab.sh up NAME            create the lab, start the backends, print a summary
#   lab.sh down NAME          remove everything (idempotent)
#   lab.sh exec NAME HOST CMD...   run CMD in a host's namespace
#                             (HOST: client | lb | backend2 | backend3 | bridge)
#   lab.sh check NAME         curl each backend from the client; fail unless both answer
#
# Environment:
#   SWIFT_XDP_LAB_SERVER=auto|nginx|python   web server for the backends (auto: nginx if
#                             installed or installable, else a small python3 server)
#   SWIFT_XDP_LAB_KEEPALIVE=S nginx keepalive_timeout in seconds (default 0: every request
#                             is its own TCP connection, i.e. a new flow for a load balancer)
#   SWIFT_XDP_LAB_INSTALL=0   never run apt-get; fail (or fall back) when a tool is missing
#   TMPDIR                    where the lab's state directory goes (default /tmp)
#
# Needs root. Traffic stays between the lab's own hosts (198.18.0.0/24).
set -euo pipefail

readonly LAB_NET=198.18.0
readonly LAB_PREFIX_LEN=24
readonly LAB_MAC_PREFIX=02:00:c6:12:00
readonly LAB_HOSTS=(client lb backend2 backend3)
readonly LAB_BRIDGE=br0

die() { echo "lab.sh: $*" >&2; exit 1; }
note() { echo "lab.sh: $*" >&2; }

usage() {
    sed -n '/^# Usage:/,/^# Needs root/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- names and addresses -------------------------------------------------------------------

check_name() {
    [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$ ]] ||
        die "bad lab name '$1': use 1-32 letters, digits, '-' or '_', starting with a letter or digit"
}

# The host number: the last byte of the host's IPv4 address and of its MAC.
host_number() {
    case $1 in
        client) echo 4 ;;
        lb) echo 5 ;;
        backend2) echo 2 ;;
        backend3) echo 3 ;;
        *) die "unknown host '$1' (client, lb, backend2, backend3, bridge)" ;;
    esac
}

host_ip() { echo "$LAB_NET.$(host_number "$1")"; }
host_mac() { printf '%s:%02x\n' "$LAB_MAC_PREFIX" "$(host_number "$1")"; }

# The namespace of HOST in lab NAME.
namespace_of() {
    local name=$1 host=$2
    case $host in
        client) echo "$name-client" ;;
        lb) echo "$name-lb" ;;
        backend2 | b2) echo "$name-b2" ;;
        backend3 | b3) echo "$name-b3" ;;
        bridge | br) echo "$name-br" ;;
        *) die "unknown host '$host' (client, lb, backend2, backend3, bridge)" ;;
    esac
}

all_namespaces() {
    local name=$1 host
    for host in "${LAB_HOSTS[@]}" bridge; do namespace_of "$name" "$host"; done
}

namespace_exists() { [[ -e /run/netns/$1 ]] || ip netns list | awk '{print $1}' | grep -qxF "$1"; }

state_dir() { echo "${TMPDIR:-/tmp}/swift-xdp-lab.$1"; }

# --- tools ---------------------------------------------------------------------------------

APT_UPDATED=0
apt_install() {
    [[ ${SWIFT_XDP_LAB_INSTALL:-1} != 0 ]] || return 1
    command -v apt-get >/dev/null || return 1
    if [[ $APT_UPDATED == 0 ]]; then
        note "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
        APT_UPDATED=1
    fi
    note "apt-get install $*"
    # Debian starts a package's service on install unless policy-rc.d says no: a system nginx
    # listening in the root namespace is exactly what the lab must not leave behind.
    local policy=/usr/sbin/policy-rc.d added_policy=0 status=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 || status=$?
    [[ $added_policy == 0 ]] || rm -f "$policy"
    return "$status"
}

need_tool() {
    local tool=$1 package=$2
    command -v "$tool" >/dev/null && return 0
    apt_install "$package" && command -v "$tool" >/dev/null ||
        die "'$tool' is missing and could not be installed (Debian package $package)"
}

# Prints the web server the backends will run: nginx or python.
choose_server() {
    local wanted=${SWIFT_XDP_LAB_SERVER:-auto}
    case $wanted in
        nginx)
            need_tool nginx nginx-light
            echo nginx ;;
        python)
            command -v python3 >/dev/null || die "python3 is missing"
            echo python ;;
        auto)
            if command -v nginx >/dev/null || { apt_install nginx-light && command -v nginx >/dev/null; }; then
                echo nginx
            elif command -v python3 >/dev/null; then
                note "nginx is not available: the backends use a small python3 server"
                echo python
            else
                die "neither nginx (Debian package nginx-light) nor python3 is available"
            fi ;;
        *) die "SWIFT_XDP_LAB_SERVER must be auto, nginx or python, not '$wanted'" ;;
    esac
}

require_root() { [[ $(id -u) == 0 ]] || die "needs root (network namespaces)"; }

# --- backends ------------------------------------------------------------------------------

# Writes an nginx configuration for one backend; everything it writes lives in DIR.
write_nginx_config() {
    local dir=$1 body=$2
    mkdir -p "$dir/client_body"
    cat >"$dir/nginx.conf" <<EOF
# nginx for one lab backend; generated by scripts/lab.sh.
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/client_body;
    default_type text/plain;
    keepalive_timeout ${SWIFT_XDP_LAB_KEEPALIVE:-0};
    keepalive_requests 1000000;
    server {
        listen 80 default_server;
        location / { return 200 "$body\n"; }
    }
}
EOF
}

# A stand-in for nginx: answers every GET with the backend's hostname line.
write_python_server() {
    cat >"$1/server.py" <<'EOF'
# A tiny HTTP server for one lab backend; generated by scripts/lab.sh.
import http.server, sys

BODY = (sys.argv[1] + "\n").encode()

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(BODY)

http.server.ThreadingHTTPServer(("0.0.0.0", 80), Handler).serve_forever()
EOF
}

start_backend() {
    local name=$1 host=$2 server=$3
    local ns dir body
    ns=$(namespace_of "$name" "$host")
    dir=$(state_dir "$name")/$host
    body="Hostname: backend-$(host_number "$host")"
    mkdir -p "$dir"
    case $server in
        nginx)
            write_nginx_config "$dir" "$body"
            # nginx daemonizes; its stdio must not hold our caller's pipes open.
            ip netns exec "$ns" nginx -q -e "$dir/error.log" -c "$dir/nginx.conf" \
                </dev/null >>"$dir/server.log" 2>&1 ||
                die "nginx did not start in $ns: $(tail -n 5 "$dir/error.log" "$dir/server.log" 2>/dev/null)"
            ;;
        python)
            write_python_server "$dir"
            ip netns exec "$ns" python3 "$dir/server.py" "$body" </dev/null >>"$dir/server.log" 2>&1 &
            echo $! >"$dir/server.pid"
            ;;
    esac
}

# Waits (up to 15 s: python3 through a pyenv shim starts slowly) until NS listens on TCP port 80.
wait_for_listener() {
    local ns=$1 tries=150
    while ((tries-- > 0)); do
        [[ -n $(ip netns exec "$ns" ss -Hltn 'sport = :80' 2>/dev/null) ]] && return 0
        sleep 0.1
    done
    return 1
}

# --- up / down -----------------------------------------------------------------------------

# Ends every process whose network namespace is NS: only the lab's own servers and
# whatever a caller started inside the lab.
kill_namespace_processes() {
    local ns=$1 pids pid tries=20
    pids=$(ip netns pids "$ns" 2>/dev/null | grep -vx -e "$$" -e "${BASHPID:-$$}" || true)
    [[ -n $pids ]] || return 0
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    while ((tries-- > 0)); do
        pids=$(ip netns pids "$ns" 2>/dev/null | grep -vx -e "$$" -e "${BASHPID:-$$}" || true)
        [[ -n $pids ]] || return 0
        sleep 0.1
    done
    for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
}

lab_down() {
    local name=$1 ns dir
    for ns in $(all_namespaces "$name"); do
        namespace_exists "$ns" || continue
        kill_namespace_processes "$ns"
        # Deleting a namespace destroys its interfaces; a veth pair dies with either end.
        ip netns delete "$ns" 2>/dev/null || note "could not delete namespace $ns"
    done
    dir=$(state_dir "$name")
    [[ ! -d $dir ]] || rm -rf -- "$dir"
}

set_sysctls() {
    local ns=$1
    shift
    local setting
    for setting in "$@"; do
        ip netns exec "$ns" sysctl -qw "$setting" >/dev/null 2>&1 || true
    done
}

# Connects HOST to the bridge: eth0 in the host's namespace, its peer (named after the host)
# created straight in the bridge namespace.
add_host() {
    local name=$1 host=$2
    local ns br ip mac other
    ns=$(namespace_of "$name" "$host")
    br=$(namespace_of "$name" bridge)
    ip=$(host_ip "$host")
    mac=$(host_mac "$host")

    ip netns add "$ns"
    set_sysctls "$ns" net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$br" link add "$host" type veth peer name eth0 netns "$ns"
    ip -n "$ns" link set dev eth0 address "$mac"
    ip -n "$ns" addr add "$ip/$LAB_PREFIX_LEN" dev eth0
    ip -n "$ns" link set dev lo up
    ip -n "$ns" link set dev eth0 up
    ip -n "$br" link set dev "$host" master "$LAB_BRIDGE" up
    for other in "${LAB_HOSTS[@]}"; do
        [[ $other == "$host" ]] && continue
        ip -n "$ns" neigh replace "$(host_ip "$other")" lladdr "$(host_mac "$other")" \
            dev eth0 nud permanent
    done
}

print_summary() {
    local name=$1 server=$2 host ns mac
    echo "lab $name is up: bridge $LAB_BRIDGE in $(namespace_of "$name" bridge), backends served by $server, state in $(state_dir "$name")"
    printf '%-9s %-24s %-5s %-16s %-18s %s\n' HOST NAMESPACE IF IPV4 MAC SERVES
    for host in "${LAB_HOSTS[@]}"; do
        ns=$(namespace_of "$name" "$host")
        mac=$(ip -n "$ns" -br link show dev eth0 | awk '{print $3}')
        local serves="-"
        [[ $host == backend* ]] && serves="http://$(host_ip "$host")/ -> \"Hostname: backend-$(host_number "$host")\""
        printf '%-9s %-24s %-5s %-16s %-18s %s\n' "$host" "$ns" eth0 \
            "$(host_ip "$host")/$LAB_PREFIX_LEN" "$mac" "$serves"
    done
}

# The EXIT trap of a failed or interrupted `up`.
remove_failed_lab() {
    local status=$?
    trap - EXIT INT TERM
    note "up failed: removing lab $1"
    lab_down "$1"
    exit $((status == 0 ? 1 : status))
}

lab_up() {
    local name=$1 ns server dir host
    require_root
    need_tool ip iproute2
    need_tool curl curl
    server=$(choose_server)
    for ns in $(all_namespaces "$name"); do
        ! namespace_exists "$ns" || die "namespace $ns exists already: run '$0 down $name' first"
    done
    dir=$(state_dir "$name")
    mkdir -m 700 -- "$dir" 2>/dev/null || die "state directory $dir exists already: run '$0 down $name' first"

    # From here on, any failure or interruption removes what was made so far.
    trap "remove_failed_lab $(printf %q "$name")" EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    local br
    br=$(namespace_of "$name" bridge)
    ip netns add "$br"
    set_sysctls "$br" net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
        net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
        net.bridge.bridge-nf-call-arptables=0
    ip -n "$br" link set dev lo up
    ip -n "$br" link add name "$LAB_BRIDGE" type bridge stp_state 0
    ip -n "$br" link set dev "$LAB_BRIDGE" up
    for host in "${LAB_HOSTS[@]}"; do add_host "$name" "$host"; done

    for host in backend2 backend3; do start_backend "$name" "$host" "$server"; done
    for host in backend2 backend3; do
        ns=$(namespace_of "$name" "$host")
        wait_for_listener "$ns" ||
            die "the $server server in $ns does not listen on port 80: $(tail -n 5 "$dir/$host/server.log" 2>/dev/null)"
    done
    echo "$server" >"$dir/server"

    trap - EXIT INT TERM
    print_summary "$name" "$server"
}

# --- exec / check --------------------------------------------------------------------------

lab_exec() {
    local name=$1 host=$2 ns
    shift 2
    (($# > 0)) || die "exec needs a command"
    ns=$(namespace_of "$name" "$host")
    namespace_exists "$ns" || die "no namespace $ns: is lab $name up?"
    exec ip netns exec "$ns" "$@"
}

lab_check() {
    local name=$1 client host ip expected answer failures=0
    client=$(namespace_of "$name" client)
    namespace_exists "$client" || die "no namespace $client: is lab $name up?"
    for host in backend2 backend3; do
        ip=$(host_ip "$host")
        expected="Hostname: backend-$(host_number "$host")"
        answer=$(ip netns exec "$client" curl -sS --max-time 2 "http://$ip/" 2>&1) || true
        if [[ $answer == "$expected" ]]; then
            echo "ok   client -> $host http://$ip/: $answer"
        else
            echo "FAIL client -> $host http://$ip/: expected \"$expected\", got \"$answer\""
            failures=$((failures + 1))
        fi
    done
    ((failures == 0))
}

main() {
    (($# >= 2)) || usage
    local command=$1 name=$2
    shift 2
    check_name "$name"
    case $command in
        up) (($# == 0)) || usage; lab_up "$name" ;;
        down) (($# == 0)) || usage; require_root; lab_down "$name" ;;
        exec) (($# >= 2)) || usage; require_root; lab_exec "$name" "$@" ;;
        check) (($# == 0)) || usage; require_root; lab_check "$name" ;;
        *) usage ;;
    esac
}

main "$@"
