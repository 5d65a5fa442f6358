import Foundation
import Testing
import XDPLoadBalancer
@testable import XDPLoadBalancerCommands

/// The record of changed sysctls `xdp-lb start` leaves for `stop`: its text format, parsing
/// of damaged files, and the file itself in a temporary directory (no kernel, no root).
@Suite struct HostSettingsRecordTests {
    typealias Entry = HostSettingsRecord.Entry

    static let record = HostSettingsRecord(interface: "eth0", entries: [
        Entry(name: "net.ipv4.conf.eth0.forwarding", previous: "0"),
        Entry(name: "net.ipv4.conf.eth0.rp_filter", previous: "2"),
    ])

    /// A fresh directory under /tmp, removed by `body`'s caller.
    static func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let directory = NSTemporaryDirectory() + "xdp-lb-record-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        defer { _ = try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    func parse(_ text: String) throws(LBError) -> HostSettingsRecord {
        try HostSettingsRecord(parsing: text, interface: "eth0", path: "/run/xdp-lb/x/eth0.sysctl")
    }

    @Test func textRoundTrips() throws {
        let text = Self.record.text
        #expect(text.hasPrefix("# "))
        #expect(text.hasSuffix("net.ipv4.conf.eth0.forwarding=0\nnet.ipv4.conf.eth0.rp_filter=2\n"))
        #expect(try parse(text) == Self.record)
        #expect(try parse("") == HostSettingsRecord(interface: "eth0", entries: []))
        // Comments, blank lines and spaces around names and values are fine.
        #expect(try parse("\n# note\n  net.ipv4.conf.eth0.forwarding = 0  \n\nnet.ipv4.conf.eth0.rp_filter=2") == Self.record)
    }

    @Test(arguments: [
        ("garbage\n", "line 1: no '='"),
        ("# ok\nnet.ipv4.conf.eth0.forwarding\n", "line 2: no '='"),
        ("kernel.core_pattern=|/tmp/x\n", "is not a sysctl xdp-lb sets on eth0"),
        ("net.ipv4.conf.eth1.forwarding=0\n", "is not a sysctl xdp-lb sets on eth0"),
        ("net.ipv4.conf.eth0.forwarding=0\nnet.ipv4.conf.eth0.forwarding=1\n", "line 2: net.ipv4.conf.eth0.forwarding is listed twice"),
        ("net.ipv4.conf.eth0.forwarding=\n", "empty or not printable"),
        ("net.ipv4.conf.eth0.forwarding=0\u{1b}[2J\n", "empty or not printable"),
    ])
    func damagedTextIsATypedErrorNamingTheFileAndLine(text: String, reason: String) {
        #expect {
            try parse(text)
        } throws: { error in
            guard let error = error as? LBError, case let .badHostSettingsRecord(path, why) = error.kind else { return false }
            return path == "/run/xdp-lb/x/eth0.sysctl" && why.contains(reason) && error.description.contains(path)
        }
    }

    @Test func onlyChangedSettingsAreRecorded() {
        let settings = HostSettings.required(for: "eth0")
        let applied = [
            AppliedHostSetting(setting: settings[0], previous: "0"),     // forwarding 0 → 1: changed
            AppliedHostSetting(setting: settings[1], previous: "1"),     // accept_local was 1 already
            AppliedHostSetting(setting: settings[2], previous: nil),     // unreadable: cannot be put back
            AppliedHostSetting(setting: settings[3], previous: "1"),     // send_redirects 1 → 0
        ]
        let record = HostSettingsRecord.changes(applied, interface: "eth0")
        #expect(record.entries == [Entry(name: settings[0].name, previous: "0"), Entry(name: settings[3].name, previous: "1")])

        // A record left by a start that was never stopped: its older values win where the
        // setting still held xdp-lb's value, new changes win elsewhere.
        let stale = HostSettingsRecord(interface: "eth0", entries: [
            Entry(name: settings[0].name, previous: "5"), Entry(name: settings[1].name, previous: "0"),
        ])
        let merged = HostSettingsRecord.changes(applied, interface: "eth0", stale: stale)
        #expect(merged.entries == [Entry(name: settings[0].name, previous: "0"), Entry(name: settings[1].name, previous: "0"),
                                   Entry(name: settings[3].name, previous: "1")])
    }

    @Test func fileWriteReadRemove() throws {
        try Self.withTemporaryDirectory { directory in
            let path = directory + "/netns-1/eth0.sysctl"
            #expect(try HostSettingsRecord.read(from: path, interface: "eth0") == nil, "no file: no record, no error")
            try Self.record.write(to: path)   // creates the directories
            #expect(try HostSettingsRecord.read(from: path, interface: "eth0") == Self.record)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/netns-1") == ["eth0.sysctl"], "no temporary file left")
            try HostSettingsRecord(interface: "eth0", entries: [Self.record.entries[0]]).write(to: path)   // replaced whole
            #expect(try HostSettingsRecord.read(from: path, interface: "eth0")?.entries.count == 1)
            // A second namespace's record keeps the state root.
            let other = directory + "/netns-2/eth0.sysctl"
            try Self.record.write(to: other)
            HostSettingsRecord.remove(at: path)
            #expect(!FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: directory + "/netns-1"))
            #expect(FileManager.default.fileExists(atPath: other))
            // The last record gone, the state root goes too: nothing is left behind in /run.
            HostSettingsRecord.remove(at: other)
            #expect(!FileManager.default.fileExists(atPath: directory))
            HostSettingsRecord.remove(at: path)   // twice is fine
        }
    }

    @Test func unreadableFilesAreTypedErrors() throws {
        try Self.withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory + "/dir.sysctl", withIntermediateDirectories: true)
            let cases: [(path: String, contents: Data?, reason: String)] = [
                (directory + "/dir.sysctl", nil, "cannot read it"),
                (directory + "/binary.sysctl", Data([0x6e, 0xff, 0xfe, 0x3d, 0x30]), "not UTF-8"),
                (directory + "/huge.sysctl", Data(repeating: 0x23, count: 70_000), "larger than"),
                (directory + "/bad.sysctl", Data("forwarding: yes\n".utf8), "line 1"),
            ]
            for item in cases {
                if let contents = item.contents { try contents.write(to: URL(fileURLWithPath: item.path)) }
                #expect {
                    try HostSettingsRecord.read(from: item.path, interface: "eth0")
                } throws: { error in
                    guard let error = error as? LBError, case let .badHostSettingsRecord(path, reason) = error.kind else { return false }
                    return path == item.path && reason.contains(item.reason)
                }
            }
            #expect { try Self.record.write(to: "relative/eth0.sysctl") } throws: { "\($0)".contains("absolute") }
        }
    }

    @Test func noRecordMeansNothingToRestore() throws {
        try Self.withTemporaryDirectory { directory in
            let restored = try LoadBalancer.restoreHostSettings(interface: "eth0", stateRoot: directory)
            #expect(restored == nil)
        }
        // The path names the caller's network namespace.
        let path = HostSettingsRecord.path(interface: "eth0", root: "/run/xdp-lb")
        #expect(path.hasPrefix("/run/xdp-lb/netns-") && path.hasSuffix("/eth0.sysctl"))
    }

    @Test func stopSaysWhatItRestored() {
        let lines = StopCommand.lines([
            HostSettingRestoration(name: "net.ipv4.conf.eth0.forwarding", previous: "0", written: "1", outcome: .restored),
            HostSettingRestoration(name: "net.ipv4.conf.eth0.rp_filter", previous: "2", written: "0", outcome: .changedSince(current: "1")),
            HostSettingRestoration(name: "net.ipv4.conf.eth0.send_redirects", previous: "1", written: "0",
                                   outcome: .failed(message: "cannot set x: EPERM")),
        ])
        #expect(lines == [
            "  restored net.ipv4.conf.eth0.forwarding=0 (xdp-lb had set 1)",
            "  left net.ipv4.conf.eth0.rp_filter=1: changed since xdp-lb set 0, so not put back to 2",
            "  could not restore net.ipv4.conf.eth0.send_redirects=1: cannot set x: EPERM",
        ])
        #expect(StopCommand.lines(nil) == ["  no record of changed host sysctls: nothing to put back"])
    }

    @Test func stopFlags() throws {
        let command = try XDPLoadBalancerCommand.parseAsRoot(["stop", "--dev", "eth0", "--keep-sysctl"])
        #expect((command as? StopCommand)?.keepSysctl == true)
        let plain = try XDPLoadBalancerCommand.parseAsRoot(["stop", "--dev", "eth0"])
        #expect((plain as? StopCommand)?.keepSysctl == false && (plain as? StopCommand)?.stateRoot == "/run/xdp-lb")
        #expect(StopCommand.helpMessage().contains("--keep-sysctl"))
    }
}
