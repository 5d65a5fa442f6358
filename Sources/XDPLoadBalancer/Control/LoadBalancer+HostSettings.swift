/// What putting back one recorded sysctl did.
public struct HostSettingRestoration: Sendable, Equatable {
    /// How it went.
    public enum Outcome: Sendable, Equatable {
        /// The previous value was written back.
        case restored
        /// The sysctl no longer held xdp-lb's value (someone changed it since `start`, or
        /// it could not be read: `current` nil): left as it is.
        case changedSince(current: String?)
        /// Writing the previous value failed; `message` says why.
        case failed(message: String)
    }

    /// The sysctl name.
    public var name: String
    /// The value it had before `start` (what `stop` writes back).
    public var previous: String
    /// The value `start` wrote.
    public var written: String
    /// What happened.
    public var outcome: Outcome

    /// A restoration.
    public init(name: String, previous: String, written: String, outcome: Outcome) {
        self.name = name
        self.previous = previous
        self.written = written
        self.outcome = outcome
    }
}

extension HostSettings {
    /// Puts back each setting of `record` whose sysctl still holds the value xdp-lb wrote
    /// (``required(for:)``); a setting someone changed since is left alone.
    public static func restore(_ record: HostSettingsRecord) -> [HostSettingRestoration] {
        let settings = required(for: record.interface)
        var result: [HostSettingRestoration] = []
        for entry in record.entries {
            guard let setting = settings.first(where: { $0.name == entry.name }) else { continue }
            var restoration = HostSettingRestoration(name: entry.name, previous: entry.previous,
                                                     written: setting.value, outcome: .restored)
            let current = read(setting.path)
            if current != setting.value {
                restoration.outcome = .changedSince(current: current)
            } else {
                do {
                    try write(entry.previous, to: setting.path)
                } catch {
                    restoration.outcome = .failed(message: "\(error)")
                }
            }
            result.append(restoration)
        }
        return result
    }
}

extension LoadBalancer {
    /// Puts back the sysctls `xdp-lb start` changed on `interface` (duty 6 undone): reads
    /// the ``HostSettingsRecord`` at ``HostSettingsRecord/path(interface:root:)``, restores
    /// the settings that still hold xdp-lb's values (``HostSettings/restore(_:)``) and removes
    /// the file. Returns nil when there is no record (started with `--no-sysctl`, nothing
    /// needed changing, or started by an xdp-lb that kept none). A file that cannot be read
    /// or parsed throws ``LBError/Kind/badHostSettingsRecord(path:reason:)`` and is left in
    /// place for a look; nothing is restored then.
    public static func restoreHostSettings(interface: String,
                                           stateRoot: String = HostSettingsRecord.defaultRoot) throws -> [HostSettingRestoration]? {
        let path = HostSettingsRecord.path(interface: interface, root: stateRoot)
        guard let record = try HostSettingsRecord.read(from: path, interface: interface) else { return nil }
        let restorations = HostSettings.restore(record)
        HostSettingsRecord.remove(at: path)
        return restorations
    }

    /// Forgets the record of `interface` without touching the sysctls (`xdp-lb stop
    /// --keep-sysctl`): they keep xdp-lb's values.
    public static func forgetHostSettings(interface: String, stateRoot: String = HostSettingsRecord.defaultRoot) {
        HostSettingsRecord.remove(at: HostSettingsRecord.path(interface: interface, root: stateRoot))
    }
}
