#!/usr/bin/env bash
# Runs swift-xdp's whole test suite, after installing what the tests compare against or need:
#   llvm (llvm-readelf, llvm-objdump), bpftool, xdp-tools + libxdp1 (reference objects and
#   loader), iproute2, nginx-light, curl, wrk and ethtool (network tests), tcpdump (pcap
#   checks), libbpf-dev (reference headers).
# Usage: scripts/test.sh [extra swift test arguments]
# Privileged tests (bpf(), network namespaces) need root; with SWIFT_XDP_REQUIRE_PRIVILEGED=1
# (as in CI) they fail instead of skipping when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v llvm-readelf >/dev/null || need+=(llvm)
command -v llvm-objdump >/dev/null || need+=(llvm)
command -v bpftool >/dev/null || need+=(bpftool)
command -v xdp-loader >/dev/null || need+=(xdp-tools)
[ -e /usr/lib/x86_64-linux-gnu/bpf/xdp-dispatcher.o ] || need+=(libxdp1)
command -v ip >/dev/null || need+=(iproute2)
command -v nginx >/dev/null || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v wrk >/dev/null || need+=(wrk)
command -v ethtool >/dev/null || need+=(ethtool)
[ -e /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "test.sh: missing packages (${need[*]}); run as root or install them" >&2
        exit 1
    fi
    echo "test.sh: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Keep Debian from starting services (a system nginx on port 80) while installing.
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && made_policy=1
    fi
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
    [ "$made_policy" = 1 ] && rm -f "$policy"
fi

# bpffs for pinning tests.
if [ "$(id -u)" -eq 0 ] && ! mountpoint -q /sys/fs/bpf; then
    mount -t bpf bpf /sys/fs/bpf
fi

exec swift test "$@"
