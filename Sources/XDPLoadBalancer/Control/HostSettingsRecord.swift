/// What `xdp-lb start` changed on the host, kept so that `xdp-lb stop` can put it back: each
/// sysctl of ``HostSettings/required(for:)`` whose value start changed, with the value it had
/// before. Settings that already had xdp-lb's value are not listed.
///
/// The file (``HostSettingsRecord/path(interface:root:)``) is plain text, one `name=previous`
/// per line; lines starting with `#` are comments:
///
/// ```
/// # xdp-lb start changed these sysctls on eth0; xdp-lb stop puts back the values below
/// net.ipv4.conf.eth0.forwarding=0
/// net.ipv4.conf.eth0.rp_filter=2
/// ```
public struct HostSettingsRecord: Sendable, Equatable {
    /// One changed sysctl and its value before start.
    public struct Entry: Sendable, Equatable {
        /// The sysctl name, e.g. `net.ipv4.conf.eth0.forwarding`.
        public var name: String
        /// Its value before `xdp-lb start` wrote it.
        public var previous: String

        /// An entry.
        public init(name: String, previous: String) {
            self.name = name
            self.previous = previous
        }
    }

    /// The interface the settings belong to.
    public var interface: String
    /// The changed settings, in the order start wrote them.
    public var entries: [Entry]

    /// A record.
    public init(interface: String, entries: [Entry]) {
        self.interface = interface
        self.entries = entries
    }

    /// The record of what `applied` changed: the settings whose previous value differs from
    /// the one written (a setting whose previous value could not be read cannot be put back
    /// and is left out). `stale` is the record of an earlier start on this interface that
    /// was never stopped: where a setting still held xdp-lb's value before this start, the
    /// stale record knows the older, real previous value, and that one is kept.
    public static func changes(_ applied: [AppliedHostSetting], interface: String,
                               stale: HostSettingsRecord? = nil) -> HostSettingsRecord {
        var entries: [Entry] = []
        for setting in applied {
            if let previous = setting.previous, previous != setting.setting.value {
                entries.append(Entry(name: setting.setting.name, previous: previous))
            } else if setting.previous == setting.setting.value,
                      let older = stale?.entries.first(where: { $0.name == setting.setting.name }) {
                entries.append(older)
            }
        }
        return HostSettingsRecord(interface: interface, entries: entries)
    }

    /// The file's text.
    public var text: String {
        var text = "# xdp-lb start changed these sysctls on \(interface); xdp-lb stop puts back the values below\n"
        for entry in entries { text += "\(entry.name)=\(entry.previous)\n" }
        return text
    }

    /// Parses the text of the file at `path` (named in errors). Only the settings
    /// ``HostSettings/required(for:)`` lists for `interface` are accepted, so the file can
    /// never make xdp-lb write any other sysctl. Throws
    /// ``LBError/Kind/badHostSettingsRecord(path:reason:)`` naming the line.
    public init(parsing text: String, interface: String, path: String) throws(LBError) {
        let known = Set(HostSettings.required(for: interface).map(\.name))
        var entries: [Entry] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            let line = String(rawLine).trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            func bad(_ reason: String) -> LBError {
                LBError(.badHostSettingsRecord(path: path, reason: "line \(index + 1): \(reason)"))
            }
            guard let equals = line.firstIndex(of: "=") else { throw bad("no '=' in \"\(line.prefix(80))\"") }
            let name = String(line[..<equals]).trimmingWhitespace()
            let previous = String(line[line.index(after: equals)...]).trimmingWhitespace()
            guard known.contains(name) else {
                throw bad("\"\(name.prefix(80))\" is not a sysctl xdp-lb sets on \(interface)")
            }
            guard !entries.contains(where: { $0.name == name }) else { throw bad("\(name) is listed twice") }
            guard !previous.isEmpty, previous.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f || $0 == "\t" }) else {
                throw bad("the value of \(name) is empty or not printable")
            }
            entries.append(Entry(name: name, previous: previous))
        }
        self.init(interface: interface, entries: entries)
    }
}
