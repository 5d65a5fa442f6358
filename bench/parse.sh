#!/usr/bin/env bash
# Parse + link speed of swift-xdp's object layer against libbpf's bpf_object__open_mem().
#
# Builds bench/ (Swift, release) and bench/libbpf_open.c (cc -O2), runs both over
#   - every Fixtures/*.o (libbpf 1.x refuses the big-endian and legacy `maps` ones: reported),
#   - Debian's xdp-tools objects in /usr/lib/x86_64-linux-gnu/bpf/*.o (package libxdp1),
#   - the kernel's BTF, /sys/kernel/btf/vmlinux (BTF parse only),
# and prints a side-by-side table with the ratio swift/libbpf and its geometric mean.
# Exits non-zero only when a build fails; "no slower than libbpf" is reported, not enforced.
#
# usage: bench/parse.sh [--min-time SECONDS] [--rounds N] [--instructions] [--scratch-path DIR] [FILE.o ...]
#   --min-time S    measure each file for at least S seconds per tool (default 0.5)
#   --rounds N      measure everything N times over, the tools taking turns file by file
#                   (default 3); the table shows the median of the rounds' medians, the average
#                   of their means and the smallest of their minimums
#   --instructions  count instructions per iteration with valgrind's callgrind instead of
#                   timing: slower, but not disturbed by other work on the machine
#   --scratch-path DIR  build the Swift harness there (default bench/.build)
#   FILE.o ...      benchmark these objects instead of the default set
# Raw result lines are kept in bench/out/results.txt.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out"
min_time=0.5
rounds=3
metric=time
scratch="$here/.build"
objects=()
while [ $# -gt 0 ]; do
    case "$1" in
        --min-time) min_time=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --instructions) metric=instructions; shift ;;
        --scratch-path) scratch=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) objects+=("$1"); shift ;;
    esac
done

# --- 1. Tools and libraries -------------------------------------------------------------------
missing=()
for package in libbpf-dev libelf-dev zlib1g-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]}"
    apt-get install -y "${missing[@]}" || { apt-get update && apt-get install -y "${missing[@]}"; } \
        || echo "warning: could not install ${missing[*]}; the libbpf harness may not build" >&2
fi
if [ ${#objects[@]} -eq 0 ] && ! ls /usr/lib/x86_64-linux-gnu/bpf/*.o >/dev/null 2>&1; then
    echo "note: no xdp-tools objects in /usr/lib/x86_64-linux-gnu/bpf (apt-get install libxdp1 adds them)" >&2
fi

# --- 2. Build ---------------------------------------------------------------------------------
mkdir -p "$out"
echo "== building parse-bench (swift build -c release --package-path bench)"
# A second try after dropping SwiftPM's cached build plan: the plan of a path dependency is
# not always refreshed when files of the main package are renamed or removed.
swift build -c release --package-path "$here" --scratch-path "$scratch" \
    || { rm -f "$scratch/release.yaml" "$scratch/release/description.json"
         echo "== build failed; retrying with a fresh build plan"
         swift build -c release --package-path "$here" --scratch-path "$scratch"; } \
    || { echo "error: swift build failed" >&2; exit 1; }
swift_bench="$(swift build -c release --package-path "$here" --scratch-path "$scratch" --show-bin-path)/parse-bench"
echo "== building libbpf_open (cc -O2)"
cc -O2 -Wall -o "$out/libbpf_open" "$here/libbpf_open.c" -lbpf -lelf -lz \
    || { echo "error: cc libbpf_open.c failed (is libbpf-dev installed?)" >&2; exit 1; }
libbpf_bench="$out/libbpf_open"

# --- 3. Run -----------------------------------------------------------------------------------
if [ ${#objects[@]} -eq 0 ]; then
    objects=("$root"/Fixtures/*.o)
    for f in /usr/lib/x86_64-linux-gnu/bpf/*.o; do [ -e "$f" ] && objects+=("$f"); done
fi
results="$out/results.txt"
: > "$results"

# One measurement: BINARY FLAGS FILE (FLAGS may be empty). With --instructions, the result line
# gets instructions=N, the callgrind count of 11 iterations minus that of 1, divided by 10.
measure() {
    local binary=$1 flags=$2 file=$3 line first last
    if [ "$metric" = time ]; then
        "$binary" $flags --min-time "$min_time" "$file"
        return
    fi
    line=$("$binary" $flags --iterations 1 "$file")
    case "$line" in *status=ok*) ;; *) echo "$line"; return ;; esac
    first=$(count_instructions "$binary" $flags --iterations 1 "$file")
    last=$(count_instructions "$binary" $flags --iterations 11 "$file")
    echo "${line%% iterations=*} iterations=10 instructions=$(( (last - first) / 10 ))"
}
count_instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
        | awk '/Collected/ { gsub(",", "", $4); print $4 }'
}
if [ "$metric" = instructions ] && ! command -v valgrind >/dev/null; then
    echo "error: --instructions needs valgrind (apt-get install valgrind)" >&2
    exit 1
fi

if [ "$metric" = time ]; then
    echo "== measuring ${#objects[@]} objects + vmlinux BTF, >= ${min_time}s per file and tool"
else
    echo "== counting instructions for ${#objects[@]} objects + vmlinux BTF under callgrind"
fi
# The tools alternate file by file, so a change in machine load hits both sides alike.
[ "$metric" = instructions ] && rounds=1  # instruction counts do not vary from round to round
vmlinux=/sys/kernel/btf/vmlinux
for (( round = 1; round <= rounds; round++ )); do
    [ "$rounds" -gt 1 ] && echo "== round $round of $rounds"
    for f in "${objects[@]}"; do
        measure "$swift_bench" "" "$f" >> "$results"
        measure "$swift_bench" --parse-only "$f" >> "$results"
        measure "$libbpf_bench" "" "$f" >> "$results"
    done
    if [ -r "$vmlinux" ]; then
        measure "$swift_bench" --btf "$vmlinux" >> "$results"
        measure "$libbpf_bench" --btf "$vmlinux" >> "$results"
    fi
done

# --- 4. Table ---------------------------------------------------------------------------------
echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
echo "libbpf: $(dpkg-query -W -f='${Version}' libbpf-dev 2>/dev/null || echo '?'), $(swift --version 2>&1 | head -1)"
if [ "$metric" = time ]; then
    echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews medians)"
    value=median_ns; low=min_ns; average=mean_ns; unit=ns
else
    echo "metric: instructions per iteration (callgrind), independent of machine load"
    value=instructions; low=instructions; average=instructions; unit=insns
fi
echo
awk -v value="$value" -v low="$low" -v average="$average" -v unit="$unit" '
function field(line, key,    n, parts, i) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) if (index(parts[i], key "=") == 1) return substr(parts[i], length(key) + 2)
    return ""
}
function message(line,    at) { at = index(line, "message="); return at ? substr(line, at + 8) : "" }
function ns(value) { return value == "" ? "-" : sprintf("%d", value) }
$1 == "result" {
    file = field($0, "file"); tool = field($0, "tool"); mode = field($0, "mode")
    if (!(file in seen)) { seen[file] = 1; order[++count] = file }
    size[file] = field($0, "size")
    isbtf[file] = (mode == "btf")
    key = tool "/" (mode == "object-parse" ? "parse" : "full")
    status[file, key] = field($0, "status")
    # One value per round: the table shows the median of the rounds.
    if (field($0, "status") != "ok") { note[file, key] = message($0); next }
    r = ++rounds[file, key]
    medians[file, key, r] = field($0, value)
    minimums[file, key, r] = field($0, low)
    means[file, key, r] = field($0, average)
    note[file, key] = message($0)
}
# The smallest of values[file, key, 1...rounds[file, key]].
function roundMinimum(values, f, k,    n, i, v, best) {
    n = rounds[f, k]
    if (n == 0) return ""
    best = values[f, k, 1] + 0
    for (i = 2; i <= n; i++) { v = values[f, k, i] + 0; if (v < best) best = v }
    return best
}
# The average of values[file, key, 1...rounds[file, key]] (each round measures for the same time).
function roundAverage(values, f, k,    n, i, sum) {
    n = rounds[f, k]
    if (n == 0) return ""
    for (i = 1; i <= n; i++) sum += values[f, k, i]
    return sum / n
}
# The median of values[file, key, 1...rounds[file, key]] (sorted by insertion, rounds are few).
function roundMedian(values, f, k,    n, i, j, v, sorted) {
    n = rounds[f, k]
    if (n == 0) return ""
    for (i = 1; i <= n; i++) {
        v = values[f, k, i] + 0
        for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]
        sorted[j + 1] = v
    }
    return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
}
END {
    split("swift/full swift/parse libbpf/full", keys, " ")
    for (i = 1; i <= count; i++) {
        f = order[i]
        for (k in keys) {
            median[f, keys[k]] = roundMedian(medians, f, keys[k])
            minimum[f, keys[k]] = roundMinimum(minimums, f, keys[k])
            mean[f, keys[k]] = roundAverage(means, f, keys[k])
        }
    }
    timed = (value != average)
    printf "%-28s %9s %12s %12s %12s %7s %7s %7s  %s\n", "file", "bytes", "swift " unit, "swift parse", "libbpf " unit,
        "ratio", timed ? "ratio" : "", timed ? "ratio" : "", "note"
    printf "%-28s %9s %12s %12s %12s %7s %7s %7s  %s\n", "", "", "(parse+link)", "(no link)", "(open+close)",
        timed ? "median" : "sw/lb", timed ? "mean" : "", timed ? "min" : "", ""
    for (i = 1; i <= count; i++) {
        f = order[i]; name = f; sub(/.*\//, "", name); if (isbtf[f]) name = name " (BTF)"
        ratio = "-"; meanRatio = ""; minRatio = ""; text = ""
        if (status[f, "swift/full"] != "ok") text = "swift error: " note[f, "swift/full"]
        else if (status[f, "libbpf/full"] != "ok") {
            text = note[f, "libbpf/full"]; sub(/: libbpf: /, ": ", text)
            if (text !~ /^libbpf refuses/) text = "libbpf refuses: " text
        } else {
            r = median[f, "swift/full"] / median[f, "libbpf/full"]
            rmin = minimum[f, "swift/full"] / minimum[f, "libbpf/full"]
            rmean = mean[f, "swift/full"] / mean[f, "libbpf/full"]
            ratio = sprintf("%.2f", r)
            if (timed) { meanRatio = sprintf("%.2f", rmean); minRatio = sprintf("%.2f", rmin) }
            logsum += log(r); logmin += log(rmin); logmean += log(rmean); n++
            if (rmean > 1) meanSlower++
            if (rmin > 1) minSlower++
            if (!isbtf[f]) { objlog += log(r); objn++ }
            if (r > 1) slower++
        }
        printf "%-28s %9s %12s %12s %12s %7s %7s %7s  %s\n", name, size[f], ns(median[f, "swift/full"]),
            ns(median[f, "swift/parse"]), ns(median[f, "libbpf/full"]), ratio, meanRatio, minRatio, text
    }
    print ""
    if (n == 0) { print "no file was measured by both tools"; exit 0 }
    if (objn) printf "geometric mean swift/libbpf, objects only (%d):        %.2f\n", objn, exp(objlog / objn)
    g = exp(logsum / n)
    if (!timed) {
        printf "geometric mean swift/libbpf, all compared (%d):        %.2f\n", n, g
        if (g <= 1.0) printf "target \"no slower than libbpf\": MET in instructions (swift above on %d of %d files)\n", slower + 0, n
        else printf "target \"no slower than libbpf\": NOT MET in instructions (%.2fx by geometric mean)\n", g
        exit 0
    }
    gmean = exp(logmean / n); gmin = exp(logmin / n)
    printf "geometric mean swift/libbpf, all compared (%d):\n", n
    printf "  %-10s %.2f   (swift slower on %d of %d files)\n", "medians", g, slower + 0, n
    printf "  %-10s %.2f   (swift slower on %d of %d files)\n", "means", gmean, meanSlower + 0, n
    printf "  %-10s %.2f   (swift slower on %d of %d files)\n", "minimums", gmin, minSlower + 0, n
    # The verdict: every statistic on average, and every file by its minimum (the cost of the
    # code itself; medians and means also carry the machine'"'"'s slow phases, see bench/README.md).
    if (g <= 1.0 && gmean <= 1.0 && gmin <= 1.0 && minSlower == 0)
        printf "target \"no slower than libbpf\": MET (on average by every statistic, and on every file by minimum time)\n"
    else
        printf "target \"no slower than libbpf\": NOT MET (geometric means %.2f / %.2f / %.2f; %d files slower by minimum time)\n",
            g, gmean, gmin, minSlower + 0
}' "$results"
exit 0
