#!/usr/bin/env bash
# Whole-process load and attach speed of swift-xdp against ip (iproute2), xdp-loader (xdp-tools)
# and bpftool, side by side with hyperfine.
#
#  1. builds swift-xdp three times in release mode from a snapshot of the working tree: default,
#     --static-swift-stdlib, and fully static (-Xswiftc -static-executable: no ld.so, no
#     relocations at start-up), and reports their sizes and what they still link dynamically;
#  2. start-up: `swift-xdp --help` against /bin/true, `ip -V`, `bpftool version`;
#  3. attach + detach cycles on a veth pair in a private network namespace (generic XDP):
#     swift-xdp load/unload, ip link set xdpgeneric obj/off, xdp-loader load -m skb/unload;
#  4. load-only: swift-xdp load --pin DIR against bpftool prog loadall OBJ DIR pinmaps DIR/maps,
#     each followed by rm -rf DIR, for several objects;
#  5. prints mean times, ratios and the issue's targets (cycle <= 0.8x ip, load <= 1.0x bpftool).
# Exits non-zero only when something failed to build or run; targets are reported, not enforced.
#
# usage: bench/load.sh [options] [OBJ.o ...]      (as root)
#   --runs N              timed runs per command and round for cycles (default 30)
#   --load-runs N         timed runs per command and round for load-only (default 40)
#   --rounds N            rounds: the commands run in turn N times, results pooled (default 3)
#   --warmup N            warm-up runs per command and round (default 3)
#   --swift-xdp PATH      benchmark this binary instead of building one
#   --swift-xdp-static PATH  the same for the static-stdlib binary
#   --no-static           skip the static-stdlib binary
#   --swift-xdp-static-exe PATH  the same for the fully static binary
#   --no-static-exe       skip the fully static binary
#   --lean                also build and measure "swift-xdp-lean": the same loader (SwiftXDP) behind
#                         a few lines of hand-written argument handling instead of ArgumentParser,
#                         static stdlib (bench/out/lean, generated) -- what the CLI layer costs
#   --diagnose            also print where swift-xdp's time goes (strace timeline, ld.so, perf)
#   OBJ.o ...             load-only objects (default: xdp-proxy, tiny_lb, global_data, xdp_lb,
#                         xdp-dispatcher)
# Results: bench/out/load/*.json (hyperfine, one file per round and section).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out"
results="$out/load"
runs=30
load_runs=40
rounds=3
warmup=3
swift_xdp=""
swift_xdp_static=""
want_static=1
swift_xdp_static_exe=""
want_static_exe=1
want_lean=0
diagnose=0
objects=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --load-runs) load_runs=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --swift-xdp) swift_xdp=$2; shift 2 ;;
        --swift-xdp-static) swift_xdp_static=$2; shift 2 ;;
        --no-static) want_static=0; shift ;;
        --swift-xdp-static-exe) swift_xdp_static_exe=$2; shift 2 ;;
        --no-static-exe) want_static_exe=0; shift ;;
        --lean) want_lean=1; shift ;;
        --diagnose) diagnose=1; shift ;;
        -h|--help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) objects+=("$1"); shift ;;
    esac
done
if [ ${#objects[@]} -eq 0 ]; then
    objects=("$root/Fixtures/xdp-proxy.bpf.o" "$root/Fixtures/tiny_lb.bpf.o"
             "$root/Fixtures/global_data.bpf.o" "$root/Fixtures/xdp_lb.bpf.o"
             /usr/lib/x86_64-linux-gnu/bpf/xdp-dispatcher.o)
fi
cycle_object="$root/Fixtures/xdp-proxy.bpf.o"
[ "$(id -u)" -eq 0 ] || { echo "error: run as root (bpf(), netlink, network namespaces)" >&2; exit 1; }

failures=()                       # what could not be built or run; non-empty → exit 1
fail() { echo "FAILED: $*" >&2; failures+=("$*"); }

# --- Clean-up that always runs --------------------------------------------------------------
# Everything this script creates is named after its PID: a network namespace (its veth pair,
# and any XDP program attached to it, go with it) and one directory in bpffs.
tag="swift-xdp-bench-$$"
netns="$tag"
pin_dir="/sys/fs/bpf/$tag"
by_name_pins=()                   # maps that libbpf pins by name at /sys/fs/bpf/NAME
cleanup() {
    ip netns del "$netns" 2>/dev/null
    rm -rf "$pin_dir"
    local name
    for name in "${by_name_pins[@]}"; do rm -f "/sys/fs/bpf/$name"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- 1. Tools ---------------------------------------------------------------------------------
missing=()
for pair in hyperfine:hyperfine ip:iproute2 xdp-loader:xdp-tools bpftool:bpftool jq:jq strace:strace; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]}"
    apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; } \
        || { echo "error: could not install ${missing[*]}" >&2; exit 1; }
fi
mountpoint -q /sys/fs/bpf || { echo "error: bpffs is not mounted at /sys/fs/bpf" >&2; exit 1; }
echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r)"
echo "   $(hyperfine --version), $(ip -V), $(bpftool version | head -1), xdp-loader $(xdp-loader load --version 2>&1 | grep -o '[0-9][0-9.]*' | head -1)"

# --- 2. Build ---------------------------------------------------------------------------------
# Other people edit the tree while we build, so SwiftPM would stop with "input file was modified
# during the build". We build a copy instead: bench/out/snapshot, where only files whose
# contents differ are rewritten (in place, so builds stay incremental). A half-edited file can
# still break the build: we wait and try again. Compiler output goes to bench/out/build.log.
snapshot="$out/snapshot"
sync_snapshot() {
    mkdir -p "$snapshot"
    (cd "$root" && find Package.swift Package.resolved Sources Tests -type f | sort) > "$out/.tree"
    (cd "$snapshot" && find Package.swift Package.resolved Sources Tests -type f 2>/dev/null | sort) > "$out/.snapshot"
    comm -13 "$out/.tree" "$out/.snapshot" | (cd "$snapshot" && xargs -r -d '\n' rm -f)
    local file
    while IFS= read -r file; do
        cmp -s "$root/$file" "$snapshot/$file" || { mkdir -p "$(dirname "$snapshot/$file")" && cp -p "$root/$file" "$snapshot/$file"; }
    done < "$out/.tree"
    find "$snapshot/Sources" "$snapshot/Tests" -type d -empty -delete
}
# build SCRATCH EXTRA-FLAGS... : builds product swift-xdp, prints the binary's path
build() {
    local scratch=$1; shift
    local attempt
    for attempt in 1 2 3; do
        sync_snapshot
        if (cd "$snapshot" && swift build -c release --product swift-xdp --scratch-path "$scratch" "$@") >> "$out/build.log" 2>&1; then
            echo "$scratch/release/swift-xdp"; return 0
        fi
        tail -15 "$out/build.log" >&2
        [ $attempt -lt 3 ] && { echo "== build failed (someone's edit in progress?); retrying in 60 s" >&2; sleep 60; }
    done
    return 1
}
rm -rf "$results"
mkdir -p "$out" "$results"
: > "$out/build.log"
if [ -z "$swift_xdp" ]; then
    echo "== building swift-xdp (release) from a snapshot of the tree"
    swift_xdp=$(build "$out/build") || { echo "error: swift build failed" >&2; exit 1; }
fi
if [ $want_static -eq 1 ] && [ -z "$swift_xdp_static" ]; then
    echo "== building swift-xdp (release, --static-swift-stdlib)"
    swift_xdp_static=$(build "$out/build-static" --static-swift-stdlib) \
        || { fail "swift build --static-swift-stdlib"; swift_xdp_static=""; }
fi
[ $want_static -eq 1 ] || swift_xdp_static=""
if [ $want_static_exe -eq 1 ] && [ -z "$swift_xdp_static_exe" ]; then
    echo "== building swift-xdp (release, -Xswiftc -static-executable)"
    swift_xdp_static_exe=$(build "$out/build-static-exe" -Xswiftc -static-executable) \
        || { fail "swift build -Xswiftc -static-executable"; swift_xdp_static_exe=""; }
fi
[ $want_static_exe -eq 1 ] || swift_xdp_static_exe=""

# swift-xdp-lean: SwiftXDP's loader behind a minimal parser for exactly the command lines used
# here, linked with the static stdlib; the difference to swift-xdp-static is the CLI layer
# (swift-argument-parser, which also links FoundationEssentials).
write_if_changed() { if ! printf '%s\n' "$2" | cmp -s - "$1"; then mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; fi; }
swift_xdp_lean=""
if [ $want_lean -eq 1 ]; then
    echo "== building swift-xdp-lean (bench/out/lean: SwiftXDP without ArgumentParser, --static-swift-stdlib)"
    write_if_changed "$out/lean/Package.swift" '// swift-tools-version: 6.0
// Generated by bench/load.sh --lean: the SwiftXDP loader without swift-argument-parser.
import PackageDescription
let package = Package(
    name: "swift-xdp-lean",
    dependencies: [.package(path: "../snapshot")],
    targets: [.executableTarget(name: "swift-xdp-lean", dependencies: [.product(name: "SwiftXDP", package: "snapshot")])]
)'
    write_if_changed "$out/lean/Sources/swift-xdp-lean/main.swift" '// Generated by bench/load.sh --lean. Understands only:
//   load OBJ --pin DIR | load OBJ --dev IF [--mode generic] | unload --dev IF | --help
import SwiftXDP
import Glibc

func fail(_ message: String) -> Never {
    let line = "swift-xdp-lean: \(message)\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(1)
}
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
do {
    switch arguments.first {
    case "load"?:
        guard arguments.count >= 2 else { fail("load needs an object") }
        let file = try BPFObjectFile.read(path: arguments[1])
        let loaded = try ObjectLoader.load(file)
        defer { loaded.close() }
        if let directory = option("--pin") { try loaded.pin(in: directory) }
        if let device = option("--dev") {
            guard let spec = file.programs.first(where: { $0.kind?.programType == .xdp }),
                  let program = loaded.program(named: spec.name) else { fail("no XDP program") }
            let mode: XDPMode = option("--mode") == "generic" ? .generic : .auto
            try XDPAttachment().attach(program, to: device, mode: mode, policy: .ifNotExists)
        }
    case "unload"?:
        guard let device = option("--dev") else { fail("unload needs --dev IF") }
        _ = try XDPAttachment().detach(from: device, mode: .auto)
    case "--help"?:
        print("usage: swift-xdp-lean load OBJ --pin DIR | load OBJ --dev IF [--mode generic] | unload --dev IF")
    default:
        fail("unknown command (try --help)")
    }
} catch {
    fail("\(error)")
}'
    sync_snapshot
    if (cd "$out/lean" && swift build -c release --static-swift-stdlib --scratch-path "$out/build-lean") >> "$out/build.log" 2>&1; then
        swift_xdp_lean="$out/build-lean/release/swift-xdp-lean"
    else
        fail "swift build of swift-xdp-lean"
    fi
fi

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
describe_binary() {
    local label=$1 path=$2 size stripped
    size=$(stat -c %s "$path")
    strip -o "$out/.stripped" "$path" 2>/dev/null && stripped=$(stat -c %s "$out/.stripped") || stripped=0
    printf '   %-28s %10d bytes (%s; stripped %s)  %s\n' "$label" "$size" "$(mib "$size")" "$(mib "$stripped")" "$path"
    echo "     links dynamically: $(ldd "$path" | awk '$1 !~ /linux-vdso/ { print $1 }' | tr '\n' ' ')"
}
echo "== binaries"
describe_binary "swift-xdp" "$swift_xdp"
[ -n "$swift_xdp_static" ] && describe_binary "swift-xdp (static stdlib)" "$swift_xdp_static"
[ -n "$swift_xdp_static_exe" ] && describe_binary "swift-xdp (static executable)" "$swift_xdp_static_exe"
[ -n "$swift_xdp_lean" ] && describe_binary "swift-xdp-lean (static)" "$swift_xdp_lean"
rm -f "$out/.stripped"

# The tools, as "label|binary" for the swift-xdp builds.
swift_builds=("swift-xdp|$swift_xdp")
[ -n "$swift_xdp_static" ] && swift_builds+=("swift-xdp-static|$swift_xdp_static")
[ -n "$swift_xdp_static_exe" ] && swift_builds+=("swift-xdp-static-exe|$swift_xdp_static_exe")
[ -n "$swift_xdp_lean" ] && swift_builds+=("swift-xdp-lean|$swift_xdp_lean")

# --- Measuring --------------------------------------------------------------------------------
# measure SECTION RUNS NAME COMMAND [NAME COMMAND ...]: runs hyperfine $rounds times (each round
# runs every command in turn), keeping bench/out/load/SECTION.roundN.json.
# HYPERFINE_PREFIX (an array) runs hyperfine through e.g. `ip netns exec`.
HYPERFINE_PREFIX=()
HYPERFINE_EXTRA=()
measure() {
    local section=$1 n=$2; shift 2
    local args=() round
    while [ $# -gt 0 ]; do args+=(-n "$1" "$2"); shift 2; done
    for round in $(seq 1 "$rounds"); do
        "${HYPERFINE_PREFIX[@]}" hyperfine --style basic --warmup "$warmup" --runs "$n" "${HYPERFINE_EXTRA[@]}" \
            --export-json "$results/$section.round$round.json" "${args[@]}" > "$results/$section.round$round.txt" 2>&1 \
            || { cat "$results/$section.round$round.txt" >&2; fail "hyperfine $section round $round"; return 1; }
    done
}
# stats SECTION NAME: "mean median min user system runs" in milliseconds, pooled over rounds
stats() {
    jq -rs --arg name "$2" '
        [ .[].results[] | select(.command == $name) ] as $r
        | ($r | map(.times) | add | sort) as $t
        | ($t | length) as $n
        | if $n == 0 then "- - - - - 0" else
          [ ($t | add / $n), (if $n % 2 == 1 then $t[($n - 1) / 2 | floor] else ($t[$n / 2 - 1 | floor] + $t[$n / 2 | floor]) / 2 end), $t[0],
            ($r | map(.user) | add / length), ($r | map(.system) | add / length) ]
          | map(. * 1000 * 100 | round / 100 | tostring) + [ $n | tostring ] | join(" ") end' \
        "$results/$1".round*.json 2>/dev/null || echo "- - - - - 0"
}
# row SECTION NAME: one table row
row() {
    stats "$1" "$2" | awk -v name="$2" '{
        line = sprintf("   %-22s", name)
        for (i = 1; i <= 5; i++) line = line ($i == "-" ? sprintf(" %9s", "-") : sprintf(" %9.2f", $i))
        print line sprintf(" %6s", $6) }'
}
header() { printf '   %-22s %9s %9s %9s %9s %9s %6s\n' "$1" "mean ms" "median" "min" "user" "system" "runs"; }
# verdict LABEL SECTION SWIFT OTHER LIMIT: prints the ratio of the means, of the medians and of
# the CPU times (user + system, less disturbed by other work on the machine) and, with a LIMIT,
# MET / NOT MET (judged on the means, as the issue states its targets)
verdict() {
    local label=$1 section=$2 swift=$3 other=$4 limit=$5
    local a b
    a=$(stats "$section" "$swift"); b=$(stats "$section" "$other")
    if [ "${a%% *}" = "-" ] || [ "${b%% *}" = "-" ]; then printf '   %-34s  (not measured)\n' "$label"; return; fi
    awk -v l="$label" -v a="$a" -v b="$b" -v lim="$limit" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        cpu = (y[4] + y[5] > 0) ? sprintf("%5.2fx", (x[4] + x[5]) / (y[4] + y[5])) : "    -"
        line = sprintf("   %-30s %5.2fx  (medians %5.2fx, CPU %s)", l, x[1] / y[1], (y[2] > 0 ? x[2] / y[2] : 0), cpu)
        if (lim != "") line = line sprintf("   target <= %.1fx: %s", lim, x[1] / y[1] <= lim ? "MET" : "NOT MET")
        print line }'
}

# --- 3. Start-up ------------------------------------------------------------------------------
echo "== start-up: a process that does nothing useful"
startup=(true /bin/true "ip -V" "ip -V" "bpftool version" "bpftool version")
for build_pair in "${swift_builds[@]}"; do startup+=("${build_pair%%|*} --help" "${build_pair#*|} --help"); done
HYPERFINE_EXTRA=(-N)
measure startup "$runs" "${startup[@]}"
HYPERFINE_EXTRA=()

# --- 4. Attach + detach cycles in a private network namespace ---------------------------------
dev=sxb0
peer=sxb1
ns_run() { ip netns exec "$netns" "$@"; }
echo "== network namespace $netns: veth $dev <-> $peer, 198.18.0.1/24 and .2"
ip netns add "$netns" \
    && ip -n "$netns" link add "$dev" type veth peer name "$peer" \
    && ip -n "$netns" addr add 198.18.0.1/24 dev "$dev" \
    && ip -n "$netns" addr add 198.18.0.2/24 dev "$peer" \
    && ip -n "$netns" link set "$dev" up \
    && ip -n "$netns" link set "$peer" up \
    || { echo "error: could not create the network namespace and veth pair" >&2; exit 1; }

# `ip netns exec` gives each command a private mount namespace with a fresh /sys, without
# bpffs; xdp-loader (libxdp) wants bpffs for its dispatcher pins and lock. So hyperfine runs in
# one `ip netns exec` with a private bpffs mounted for it: nothing reaches the host's bpffs.
in_netns='mount -t bpf bpf /sys/fs/bpf && exec "$@"'
cycle_cmds=()
for build_pair in "${swift_builds[@]}"; do
    b=${build_pair#*|}
    cycle_cmds+=("${build_pair%%|*}" "$b load $cycle_object --dev $dev --mode generic && $b unload --dev $dev")
done
cycle_cmds+=(ip "ip link set dev $dev xdpgeneric obj $cycle_object sec xdp && ip link set dev $dev xdpgeneric off")
cycle_cmds+=(xdp-loader "xdp-loader load -m skb $dev $cycle_object && xdp-loader unload $dev --all")

# Each cycle must really attach (the interface shows an XDP program) and detach again.
echo "== checking that every cycle attaches and detaches"
checked=()
for ((i = 0; i < ${#cycle_cmds[@]}; i += 2)); do
    name=${cycle_cmds[i]} cmd=${cycle_cmds[i + 1]}
    attach=${cmd%% && *} detach=${cmd#* && }
    check="$attach && ip link show $dev | grep -q prog/xdp && $detach && ! ip link show $dev | grep -q prog/xdp"
    if ns_run sh -c "$in_netns" sh sh -c "$check" > "$results/check.$name.txt" 2>&1; then
        echo "   $name: ok"
        checked+=("$name" "$cmd")
    else
        head -5 "$results/check.$name.txt" | sed 's/^/     /'
        fail "$name attach + detach cycle"
        ns_run ip link set dev "$dev" xdpgeneric off 2>/dev/null
    fi
done
echo "== measuring attach + detach cycles ($rounds rounds x $runs runs, $warmup warm-up)"
HYPERFINE_PREFIX=(ip netns exec "$netns" sh -c "$in_netns" sh)
HYPERFINE_EXTRA=(--cleanup "ip link set dev $dev xdpgeneric off 2>/dev/null; true")
[ ${#checked[@]} -gt 0 ] && measure cycle "$runs" "${checked[@]}"
HYPERFINE_PREFIX=()
HYPERFINE_EXTRA=()
if ns_run ip link show "$dev" | grep -q "prog/xdp"; then fail "an XDP program was left attached to $dev"; fi

# --- 5. Load only: load and pin everything, then remove the pins ------------------------------
mkdir -p "$pin_dir" || { echo "error: cannot create $pin_dir" >&2; exit 1; }
echo "== load-only in $pin_dir ($rounds rounds x $load_runs runs, $warmup warm-up)"
load_sections=()
for obj in "${objects[@]}"; do
    base=$(basename "$obj" .o); base=${base%.bpf}
    # libbpf pins maps marked LIBBPF_PIN_BY_NAME at /sys/fs/bpf/NAME: remove them in every run.
    names=$("$swift_xdp" inspect --json "$obj" 2>/dev/null | jq -r '.maps[]? | select(.pinning == "by_name") | .name')
    extra=""
    for name in $names; do by_name_pins+=("$name"); extra+=" /sys/fs/bpf/$name"; done
    cmds=()
    for build_pair in "${swift_builds[@]}"; do
        cmds+=("${build_pair%%|*}" "${build_pair#*|} load $obj --pin $pin_dir/s && rm -rf $pin_dir/s$extra")
    done
    cmds+=(bpftool "bpftool prog loadall $obj $pin_dir/b pinmaps $pin_dir/b/maps && rm -rf $pin_dir/b$extra")
    ok=()
    for ((i = 0; i < ${#cmds[@]}; i += 2)); do
        name=${cmds[i]} cmd=${cmds[i + 1]}
        if sh -c "${cmd%% && *}" > "$results/check.$base.$name.txt" 2>&1 && [ -n "$(ls -A "$pin_dir" 2>/dev/null)" ]; then
            ok+=("$name" "$cmd")
        else
            head -5 "$results/check.$base.$name.txt" | sed 's/^/     /'
            fail "$name load-only $base"
        fi
        rm -rf "$pin_dir"/s "$pin_dir"/b
        for name in $names; do rm -f "/sys/fs/bpf/$name"; done
    done
    echo "   $base: $(( ${#ok[@]} / 2 )) of $(( ${#cmds[@]} / 2 )) tools load it"
    [ ${#ok[@]} -gt 0 ] && measure "load-$base" "$load_runs" "${ok[@]}"
    load_sections+=("$base")
done
[ -z "$(ls -A "$pin_dir")" ] || fail "pins left in $pin_dir: $(ls "$pin_dir")"

# --- 6. Table ---------------------------------------------------------------------------------
echo
echo "== results (wall time per whole process or cycle; user/system are CPU time; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "-- start-up (hyperfine -N, no shell)"
header "command"
for ((i = 0; i < ${#startup[@]}; i += 2)); do row startup "${startup[i]}"; done
echo
echo "-- attach + detach cycle, $(basename "$cycle_object"), generic XDP on a veth"
header "tool"
for name in "${swift_builds[@]%%|*}" ip xdp-loader; do row cycle "$name"; done
for name in "${swift_builds[@]%%|*}"; do
    verdict "$name / ip" cycle "$name" ip 0.8
    verdict "$name / xdp-loader" cycle "$name" xdp-loader ""
done
echo "   (issue author, same machine kind: ip cycle ~31 ms, ~17 ms of it in the kernel's RTM_SETLINK)"
for base in "${load_sections[@]}"; do
    echo
    echo "-- load-only: load + pin everything, then rm -rf: $base"
    header "tool"
    for name in "${swift_builds[@]%%|*}" bpftool; do row "load-$base" "$name"; done
    for name in "${swift_builds[@]%%|*}"; do verdict "$name / bpftool" "load-$base" "$name" bpftool 1.0; done
done
echo "   (issue author, same machine kind: bpftool load ~1.6 ms)"

# --- 7. Where swift-xdp's time goes (optional) ------------------------------------------------
# timeline TRACE: the milestones of one process from `strace -f -ttt -T`, in ms after execve:
# shared libraries opened, the object file opened, every bpf() and netlink request, exit.
timeline() {
    awk '
        function flush() { if (libs) printf "     +%7.2f ms  %d shared libraries opened, %d failed openat() while searching for them\n", last, libs, misses; libs = misses = 0 }
        /execve\(/ && !t0 { t0 = $2 }
        { t = ($2 - t0) * 1000; d = ($NF ~ /^<[0-9.]+>$/) ? substr($NF, 2, length($NF) - 2) * 1000 : 0 }
        /openat\(.*\.so/ { if (/= -1 /) misses++; else libs++; last = t; next }
        /openat\(.*\.o"/ { flush(); match($0, /"[^"]*"/); printf "     +%7.2f ms  open %s\n", t, substr($0, RSTART, RLENGTH) }
        /bpf\(BPF_[A-Z_]*/ { flush(); match($0, /BPF_[A-Z_]+/); printf "     +%7.2f ms  bpf(%s) took %.2f ms\n", t, substr($0, RSTART, RLENGTH), d }
        /(sendto|sendmsg)\(.*RTM_[A-Z]+/ { flush(); match($0, /RTM_[A-Z]+/); printf "     +%7.2f ms  netlink %s took %.2f ms\n", t, substr($0, RSTART, RLENGTH), d }
        /exited with/ { flush(); printf "     +%7.2f ms  exit\n", t }' "$1"
}
if [ $diagnose -eq 1 ]; then
    echo
    echo "== diagnose: one attach of $(basename "$cycle_object") per tool, milestones after execve (strace --seccomp-bpf; the traced calls are slower than untraced)"
    trace_set="execve,openat,bpf,sendto,sendmsg,exit_group"
    diag=("swift-xdp|$swift_xdp load $cycle_object --dev $dev --mode generic|$swift_xdp unload --dev $dev")
    [ -n "$swift_xdp_static" ] && diag+=("swift-xdp-static|$swift_xdp_static load $cycle_object --dev $dev --mode generic|$swift_xdp_static unload --dev $dev")
    [ -n "$swift_xdp_static_exe" ] && diag+=("swift-xdp-static-exe|$swift_xdp_static_exe load $cycle_object --dev $dev --mode generic|$swift_xdp_static_exe unload --dev $dev")
    [ -n "$swift_xdp_lean" ] && diag+=("swift-xdp-lean|$swift_xdp_lean load $cycle_object --dev $dev --mode generic|$swift_xdp_lean unload --dev $dev")
    diag+=("ip|ip link set dev $dev xdpgeneric obj $cycle_object sec xdp|ip link set dev $dev xdpgeneric off")
    for entry in "${diag[@]}"; do
        IFS='|' read -r name attach detach <<< "$entry"
        echo "-- $name: $attach"
        ns_run strace -f --seccomp-bpf -ttt -T -e trace="$trace_set" -o "$results/strace.$name.attach.txt" $attach >/dev/null 2>&1
        timeline "$results/strace.$name.attach.txt" | grep -v "bpf(BPF_PROG_LOAD) took 0\.0\|bpf(BPF_MAP_CREATE) took 0\.0" | head -40
        ns_run $detach >/dev/null 2>&1
    done
    echo "-- dynamic loader of swift-xdp --help (LD_DEBUG=statistics)"
    LD_DEBUG=statistics "$swift_xdp" --help 2>&1 >/dev/null \
        | grep -E "total startup time|time needed for relocation|final number of relocations:" | sed 's/^ *[0-9]*: */     /'
    if command -v perf >/dev/null; then
        profiled=${swift_xdp_static_exe:-${swift_xdp_static:-$swift_xdp}}
        label=swift-xdp; [ -n "$swift_xdp_static" ] && label=swift-xdp-static
        [ -n "$swift_xdp_static_exe" ] && label=swift-xdp-static-exe
        echo "-- CPU profile of 30 x '$label load $(basename "$cycle_object") --pin' (perf record; share of the process's samples, callees included)"
        perf record -q -g -F 5000 -o "$results/perf.data" -- sh -c \
            "for i in \$(seq 30); do $profiled load $cycle_object --pin $pin_dir/p >/dev/null; rm -rf $pin_dir/p; done" >/dev/null 2>&1
        perf report -i "$results/perf.data" --comm "$(basename "$profiled" | cut -c1-15)" --percentage relative --children \
            --sort sym --stdio -g none 2>/dev/null > "$results/perf.txt"
        for pattern in "swift_xdp_main" "QuickCommandLineO5parse" "ParsableCommandPAAE11parseAsRoot" \
                       "LoadRequestV3run" "0A4FileV8SwiftXDPE4read" "ObjectLoaderO4load" "__x64_sys_bpf" \
                       "swift_conformsToProtocolWithExecutionContext" "swift_getTypeByMangledName\$"; do
            grep -m1 -E "\[.\] .*$pattern" "$results/perf.txt" | awk -v p="$pattern" '{ printf "     %7s  %s\n", $1, p }'
        done
        echo "     (swift_xdp_main is main(); the rest of the process is exec, dynamic loading, runtime start-up and exit)"
    fi
fi

echo
if ns_run ip link show "$dev" 2>/dev/null | grep -q "prog/xdp"; then fail "an XDP program is still attached"; fi
if [ ${#failures[@]} -gt 0 ]; then
    echo "== FAILED: ${failures[*]}"
    exit 1
fi
echo "== done; raw hyperfine results in $results"
