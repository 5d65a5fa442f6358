@testable import BPFKernel
import Testing

/// ``MemlockLimit`` skips its feature probe on kernels whose release is 5.11 or later, and the
/// probe itself still agrees with the release on this machine.
struct MemlockLimitTests {
    @Test(arguments: [("6.18.44-fc-v595", true), ("5.11.0", true), ("5.15.0-91-generic", true), ("10.0", true),
                      ("5.10.209-198.858.amzn2.x86_64", false), ("4.18.0-513.el8.x86_64", false), ("5.4", false),
                      ("", false), ("linux", false), ("6", false), (".11", false), ("5.x", false)])
    func releaseDecidesWithoutAProbe(_ release: String, _ expected: Bool) {
        #expect(MemlockLimit.releaseHasMemcgAccounting(release) == expected)
    }

    @Test(.privileged) func probeAgreesWithTheRunningRelease() {
        // Mainline kernels got memcg accounting and the probed helper in the same release.
        #expect(MemlockLimit.probeMemcgAccounting() == MemlockLimit.releaseHasMemcgAccounting(MemlockLimit.runningRelease()))
    }
}
