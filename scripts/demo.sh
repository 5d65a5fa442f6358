#!/usr/bin/env bash
# demo.sh - quick start: the two seed load balancers, loaded by swift-xdp, in a namespace lab.
#
#   sudo scripts/demo.sh
#
# 1. builds swift-xdp (swift build -c release --product swift-xdp);
# 2. creates a lab with a unique name (scripts/lab.sh up): client 198.18.0.4, load balancer
#    198.18.0.5, backends 198.18.0.2 and .3 answering "Hostname: backend-N";
# 3. in the load balancer's namespace, loads Fixtures/xdp-proxy.bpf.o on eth0 in generic
#    mode, shows its status, sends ten requests from the client to 198.18.0.5 and prints each
#    answer, then unloads it;
# 4. the same for Fixtures/tiny_lb.bpf.o, after filling its map lb_map (key = host number,
#    value = that host's IPv4 address as a host-order u32);
# 5. always removes the lab, also on failure or Ctrl-C.
#
# The seeds pick a backend per packet, not per connection, so a request can stall while a
# packet wanders to the other backend: some requests may time out (2 s), and that is printed.
#
# Environment:
#   SWIFT_XDP_BIN=PATH          use this swift-xdp binary instead of building one
#   SWIFT_XDP_SCRATCH_PATH=DIR  build with --scratch-path DIR
#   DEMO_REQUESTS=N             requests per load balancer (default 10)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB="$REPO/scripts/lab.sh"
readonly LB_IP=198.18.0.5
REQUESTS=${DEMO_REQUESTS:-10}

die() { echo "demo.sh: $*" >&2; exit 1; }
step() { printf '\n==> %s\n' "$*"; }

[[ $(id -u) == 0 ]] || die "needs root (network namespaces, bpf()): run it with sudo"
cd "$REPO"

# --- 1. swift-xdp -------------------------------------------------------------------------

if [[ -n ${SWIFT_XDP_BIN:-} ]]; then
    SWIFT_XDP=$SWIFT_XDP_BIN
else
    build=(swift build -c release --product swift-xdp)
    [[ -z ${SWIFT_XDP_SCRATCH_PATH:-} ]] || build+=(--scratch-path "$SWIFT_XDP_SCRATCH_PATH")
    step "${build[*]}"
    "${build[@]}"
    SWIFT_XDP="$("${build[@]}" --show-bin-path)/swift-xdp"
fi
[[ -x $SWIFT_XDP ]] || die "no swift-xdp binary at $SWIFT_XDP"
SWIFT_XDP=${SWIFT_XDP#"$REPO"/} # shorter to show; the demo runs in $REPO

# Whether swift-xdp has the subcommand WORDS... (e.g. "map update"). ArgumentParser answers
# `swift-xdp nosuch --help` with the top-level help and status 0, so look at the USAGE line.
has_subcommand() {
    local usage
    usage=$("$SWIFT_XDP" "$@" --help 2>/dev/null) || return 1
    grep -Eq "^USAGE: swift-xdp $*( |$)" <<<"$usage"
}

# Fails with a clear message unless swift-xdp has every subcommand given ("map update" is
# one subcommand of two words).
require_subcommands() {
    local subcommand missing=()
    for subcommand in "$@"; do
        # shellcheck disable=SC2086 # split "map update" into its words on purpose
        has_subcommand $subcommand || missing+=("'swift-xdp $subcommand'")
    done
    ((${#missing[@]} == 0)) ||
        die "$SWIFT_XDP does not have ${missing[*]} yet, which this demo needs (being written): stopping here"
}

# Checked before a lab is built; "map update" is checked before seed 001, so seed 000 runs
# even while it is missing.
require_subcommands load status unload

# --- 2. the lab ---------------------------------------------------------------------------

NAME="sx$(printf '%04x' $((RANDOM)))d$$"
LB_NS="$NAME-lb"
CLIENT_NS="$NAME-client"

teardown() {
    local status=$?
    trap - EXIT INT TERM
    ((status == 0)) || echo "demo.sh: stopped with status $status (the command above failed or was interrupted)" >&2
    step "removing lab $NAME"
    "$LAB" down "$NAME" || true
    exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "creating lab $NAME"
"$LAB" up "$NAME"
"$LAB" check "$NAME"

# Runs a swift-xdp command in the load balancer's namespace, showing it first.
on_lb() {
    echo "# ip netns exec $LB_NS $*"
    ip netns exec "$LB_NS" "$@"
}

# Sends REQUESTS requests from the client to the load balancer and prints each answer.
requests() {
    local i answer answered=0
    echo "# $REQUESTS x: ip netns exec $CLIENT_NS curl --max-time 2 http://$LB_IP/"
    for ((i = 1; i <= REQUESTS; i++)); do
        if answer=$(ip netns exec "$CLIENT_NS" curl -sS --max-time 2 "http://$LB_IP/" 2>&1); then
            printf '  %2d  %s\n' "$i" "$answer"
            answered=$((answered + 1))
        else
            printf '  %2d  no answer: %s\n' "$i" "$answer"
        fi
    done
    echo "  $answered of $REQUESTS requests answered"
}

# --- 3. seed 000: xdp-proxy ----------------------------------------------------------------

step "seed 000: Fixtures/xdp-proxy.bpf.o"
on_lb "$SWIFT_XDP" load Fixtures/xdp-proxy.bpf.o --dev eth0 --mode generic
on_lb "$SWIFT_XDP" status --dev eth0
requests
on_lb "$SWIFT_XDP" unload --dev eth0

# --- 4. seed 001: tiny_lb ------------------------------------------------------------------

step "seed 001: Fixtures/tiny_lb.bpf.o"
require_subcommands "map update"
on_lb "$SWIFT_XDP" load Fixtures/tiny_lb.bpf.o --dev eth0 --mode generic
for host in 2 3 4 5; do
    # lb_map: host number -> 198.18.0.<host> as a host-order u32 (0xC6120002 is 198.18.0.2).
    on_lb "$SWIFT_XDP" map update lb_map "$host" "$(printf '0x%08X' $((0xC6120000 + host)))" --dev eth0
done
on_lb "$SWIFT_XDP" status --dev eth0
requests
on_lb "$SWIFT_XDP" unload --dev eth0

step "done"
