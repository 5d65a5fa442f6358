import Foundation
import Testing
import XDPLoadBalancer
@testable import XDPLoadBalancerCommands

extension LBKernelSuites {
    /// `xdp-lb stop` puts back the sysctls `start` changed, in a private network namespace
    /// (its sysctls are its own), with the record under a per-process state directory.
    @Suite(.privileged) struct HostSettingsRestoreTests {
        static let stateRoot = NSTemporaryDirectory() + "xdp-lb-state-test-\(getpid())"
        static let pinRoot = LifecycleTests.pinRoot

        /// `net.ipv4.conf.lb0.NAME`.
        static func sysctl(_ name: String) -> String { "/proc/sys/net/ipv4/conf/lb0/" + name }

        /// Writes `value` to sysctl `name` of lb0 (open for writing, no truncation: a /proc/sys file).
        static func set(_ name: String, _ value: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: sysctl(name)))
            defer { try? handle.close() }
            try handle.write(contentsOf: Data((value + "\n").utf8))
        }

        /// The four settings' values, in ``HostSettings/required(for:)`` order.
        static func values() -> [String?] {
            ["forwarding", "accept_local", "rp_filter", "send_redirects"].map { HostSettings.read(sysctl($0)) }
        }

        /// Host values before start: every setting but send_redirects differs from xdp-lb's.
        static func setHostValues() throws {
            for (name, value) in [("forwarding", "0"), ("accept_local", "0"), ("rp_filter", "2"), ("send_redirects", "0")] {
                try set(name, value)
            }
            #expect(values() == ["0", "0", "2", "0"])
        }

        static func options() -> LBStartOptions {
            var options = LBStartOptions(interface: "lb0", vip: IPv4Endpoint("10.0.0.100:80")!,
                                         backends: [IPv4Endpoint("10.0.0.2:8080")!])
            options.pinRoot = pinRoot
            options.stateRoot = stateRoot
            options.objectPath = LBFixtures.object
            return options
        }

        static func withNamespace(_ body: () throws -> Void) throws {
            defer { _ = try? FileManager.default.removeItem(atPath: stateRoot) }
            try LifecycleTests.withNamespace { ns in
                try NetworkNamespace.run(in: ns) { try body() }
            }
        }

        @Test func stopRestoresWhatStartChanged() throws {
            try Self.withNamespace {
                try Self.setHostValues()
                let (balancer, report) = try LoadBalancer.start(Self.options())
                #expect(Self.values() == ["1", "1", "0", "0"])
                let path = HostSettingsRecord.path(interface: "lb0", root: Self.stateRoot)
                #expect(report.hostSettingsRecord == path)
                let record = try #require(try HostSettingsRecord.read(from: path, interface: "lb0"))
                #expect(record.entries == [
                    .init(name: "net.ipv4.conf.lb0.forwarding", previous: "0"),
                    .init(name: "net.ipv4.conf.lb0.accept_local", previous: "0"),
                    .init(name: "net.ipv4.conf.lb0.rp_filter", previous: "2"),
                ], "send_redirects was 0 already: not recorded")

                // Someone changes rp_filter meanwhile: stop leaves that one alone.
                try Self.set("rp_filter", "1")
                #expect(try balancer.stop())
                let restored = try #require(try LoadBalancer.restoreHostSettings(interface: "lb0", stateRoot: Self.stateRoot))
                #expect(restored.map(\.outcome) == [.restored, .restored, .changedSince(current: "1")])
                #expect(Self.values() == ["0", "0", "1", "0"])
                #expect(!FileManager.default.fileExists(atPath: path), "the record is removed")
                #expect(try LoadBalancer.restoreHostSettings(interface: "lb0", stateRoot: Self.stateRoot) == nil)
            }
        }

        @Test func theCommandLine() throws {
            try Self.withNamespace {
                let path = HostSettingsRecord.path(interface: "lb0", root: Self.stateRoot)
                let start = ["start", "--dev", "lb0", "--vip", "10.0.0.100:80", "--backend", "10.0.0.2:8080",
                             "--object", LBFixtures.object, "--pin-root", Self.pinRoot, "--state-root", Self.stateRoot]
                let stop = ["stop", "--dev", "lb0", "--pin-root", Self.pinRoot, "--state-root", Self.stateRoot]

                // --no-sysctl: nothing changed, nothing recorded, nothing restored.
                try Self.setHostValues()
                try LifecycleTests.cli(start + ["--no-sysctl"])
                #expect(Self.values() == ["0", "0", "2", "0"] && !FileManager.default.fileExists(atPath: path))
                try LifecycleTests.cli(stop)
                #expect(!LoadBalancer.isRunning(on: "lb0", pinRoot: Self.pinRoot))

                // start, stop: back to the host's values.
                try LifecycleTests.cli(start)
                #expect(Self.values() == ["1", "1", "0", "0"] && FileManager.default.fileExists(atPath: path))
                try LifecycleTests.cli(stop)
                #expect(Self.values() == ["0", "0", "2", "0"] && !FileManager.default.fileExists(atPath: path))

                // stop --keep-sysctl: xdp-lb's values stay, the record goes.
                try LifecycleTests.cli(start)
                try LifecycleTests.cli(stop + ["--keep-sysctl"])
                #expect(Self.values() == ["1", "1", "0", "0"] && !FileManager.default.fileExists(atPath: path))

                // A damaged record: the load balancer still stops, the error names the file.
                try Self.setHostValues()
                try LifecycleTests.cli(start)
                try "net.ipv4.conf.lb0.forwarding 0\n".write(toFile: path, atomically: false, encoding: .utf8)
                #expect {
                    try LifecycleTests.cli(stop)
                } throws: { error in
                    let text = "\(error)"
                    return error is LBCommandFailure && text.contains(path) && text.contains("line 1")
                        && text.contains("the load balancer is stopped")
                }
                #expect(!LoadBalancer.isRunning(on: "lb0", pinRoot: Self.pinRoot))
                #expect(Self.values() == ["1", "1", "0", "0"], "nothing restored from a damaged record")
                HostSettingsRecord.remove(at: path)
            }
        }

        @Test func aFailedStartPutsTheSysctlsBack() throws {
            try Self.withNamespace {
                try Self.setHostValues()
                // Another program is attached: start fails at attach, after writing the sysctls.
                let other = try ObjectLoader.load(try BPFObjectFile.read(
                    path: LBFixtures.root.appendingPathComponent("Fixtures/xdp_pass.bpf.o").path))
                defer { other.close() }
                try XDPAttachment().attach(other.programs[0].program, to: "lb0", mode: .generic)
                #expect(throws: (any Error).self) { try LoadBalancer.start(Self.options()) }
                #expect(Self.values() == ["0", "0", "2", "0"])
                #expect(!FileManager.default.fileExists(atPath: HostSettingsRecord.path(interface: "lb0", root: Self.stateRoot)))
            }
        }
    }
}
