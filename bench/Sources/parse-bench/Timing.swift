// Wall-clock timing shared by every workload: the same clock (CLOCK_MONOTONIC), calibration
// rule and statistics as libbpf_open.c, so the two harnesses' numbers are comparable.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on the monotonic clock.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// The result of timing one workload.
struct Measurement {
    /// Timed iterations.
    var iterations: Int
    /// Median time of one iteration.
    var medianNanoseconds: UInt64
    /// Mean time of one iteration (total time over iterations).
    var meanNanoseconds: UInt64
    /// Fastest iteration.
    var minimumNanoseconds: UInt64
    /// Whatever the workload returned last (printed, so the work cannot be optimised away).
    var check: Int
}

/// Runs `body` once untimed (warm-up; its errors are the workload's errors), then times single
/// iterations: exactly `iterations` of them, or as many as it takes to measure
/// `minimumSeconds` (at least 5).
func measure(iterations: Int?, minimumSeconds: Double, _ body: () throws -> Int) rethrows -> Measurement {
    var check = try body()
    let budget = UInt64(minimumSeconds * 1e9)
    var samples: [UInt64] = []
    samples.reserveCapacity(iterations ?? 1024)
    var total: UInt64 = 0
    while true {
        if let iterations {
            if samples.count >= iterations { break }
        } else if total >= budget && samples.count >= 5 {
            break
        }
        let start = monotonicNanoseconds()
        check = try body()
        let elapsed = monotonicNanoseconds() - start
        samples.append(elapsed)
        total += elapsed
    }
    samples.sort()
    let middle = samples.count / 2
    let median = samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
    return Measurement(iterations: samples.count, medianNanoseconds: median,
                       meanNanoseconds: total / UInt64(samples.count), minimumNanoseconds: samples[0], check: check)
}
