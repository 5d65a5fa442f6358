import ArgumentParser
import SwiftXDP

/// `swift-xdp map`: read and change the maps of a loaded program, with keys and values typed
/// by the map's BTF.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Dump, look up, update or delete map entries, typed by the map's BTF.",
        discussion: """
            Find the map by name through the XDP program attached to an interface (--dev IF), or \
            give it directly (--pinned PATH, --id N); then the map name is not given. Keys and \
            values are read with the map's BTF types: integers in decimal or 0x-hex (in the \
            type's host byte order), structs as JSON objects ({"saddr": 3323068418, "dport": 80}), \
            arrays as JSON arrays; --hex takes and prints raw bytes ("c6 12 00 02"). Example:
              swift-xdp map update lb_map 2 0xC6120002 --dev eth0
            """,
        subcommands: [Dump.self, Lookup.self, Update.self, Delete.self])

    /// Which map: `--dev IF` with a name, `--pinned PATH` or `--id N`.
    struct Selection: ParsableArguments {
        @Option(name: .customLong("dev"), help: "Find the map through the XDP program attached to this interface.")
        var device: String?

        @Option(help: "The map pinned at this bpffs path.")
        var pinned: String?

        @Option(help: "The map with this kernel id.")
        var id: UInt32?

        @Flag(help: "Keys and values as raw hex bytes.")
        var hex = false

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            let given = [device != nil, pinned != nil, id != nil].filter { $0 }.count
            guard given == 1 else { throw ValidationError("give exactly one of --dev IF, --pinned PATH or --id N") }
        }

        /// Opens the map; with --dev the first of `words` is its name and is consumed.
        func open(_ words: inout [String]) throws -> MapHandle {
            do {
                if let pinned { return try MapHandle.pinned(pinned) }
                if let id { return try MapHandle.id(id) }
                guard !words.isEmpty else { throw CommandFailure("name the map: swift-xdp map … MAP … --dev \(device!)") }
                let name = words.removeFirst()
                return try MapHandle.attached(to: device!, named: name, attachment: try XDPAttachment())
            } catch let error as CommandFailure {
                throw error
            } catch let error as NetlinkError where error.isUnknownInterface {
                throw CommandFailure("no interface named '\(device ?? "")' (in this network namespace)")
            } catch {
                throw CommandFailure("\(error)")
            }
        }

        /// Opens the map and reads the one KEY that `command` takes (the map is closed again on failure).
        func openWithKey(_ words: [String], command: String) throws -> (MapHandle, [String], [UInt8]) {
            var words = words
            let handle = try open(&words)
            do {
                guard words.count == 1 else { throw CommandFailure("\(command) takes one KEY") }
                return (handle, words, try MapOutput.typed { try handle.key(words[0], hex: hex) })
            } catch {
                handle.map.close()
                throw error
            }
        }

        func text(_ value: BTFValue, _ bytes: [UInt8]) -> String {
            hex ? BTFValue.formatHex(bytes) : value.text()
        }

        func json(_ value: BTFValue, _ bytes: [UInt8]) -> JSONValue {
            hex ? .string(BTFValue.formatHex(bytes)) : .raw(value.jsonText)
        }
    }

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dump", abstract: "Print every entry.")
        @Argument(help: "With --dev: the map's name.") var words: [String] = []
        @OptionGroup var selection: Selection

        func run() throws {
            var words = self.words
            let handle = try selection.open(&words)
            defer { handle.map.close() }
            guard words.isEmpty else { throw CommandFailure("dump takes no key (got \(words.joined(separator: " ")))") }
            var entries: [(key: [UInt8], values: [[UInt8]])] = []
            do {
                // BPF_MAP_LOOKUP_BATCH where the kernel and map type have it, else key by key.
                let perCPU = handle.info.type.isPerCPU
                for entry in try handle.map.allEntries() {
                    entries.append((entry.key, perCPU ? handle.map.perCPUValues(entry.value) : [entry.value]))
                }
            } catch {
                throw CommandFailure("cannot read map \(handle.info.name): \(error)")
            }
            try MapOutput.print(entries, handle: handle, selection: selection)
        }
    }

    struct Lookup: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lookup", abstract: "Print the value of one key.")
        @Argument(help: "[MAP (with --dev)] KEY") var words: [String] = []
        @OptionGroup var selection: Selection

        func run() throws {
            let (handle, words, key) = try selection.openWithKey(words, command: "lookup")
            defer { handle.map.close() }
            let values: [[UInt8]]?
            do {
                values = handle.info.type.isPerCPU ? try handle.map.lookupPerCPU(key: key)
                                                   : try handle.map.lookup(key: key).map { [$0] }
            } catch {
                throw CommandFailure("cannot look up \(words[0]) in \(handle.info.name): \(error)")
            }
            guard let values else { throw CommandFailure("no entry for key \(words[0]) in \(handle.info.name)") }
            try MapOutput.print([(key, values)], handle: handle, selection: selection)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "Set the value of one key (per-CPU maps: on every CPU).")
        @Argument(help: "[MAP (with --dev)] KEY VALUE") var words: [String] = []
        @OptionGroup var selection: Selection
        @Flag(help: "Fail if the key exists (BPF_NOEXIST).") var noexist = false
        @Flag(help: "Fail unless the key exists (BPF_EXIST).") var exist = false

        func run() throws {
            var words = self.words
            let handle = try selection.open(&words)
            defer { handle.map.close() }
            guard words.count == 2 else { throw CommandFailure("update takes KEY VALUE") }
            let key = try MapOutput.typed { try handle.key(words[0], hex: selection.hex) }
            let value = try MapOutput.typed { try handle.value(words[1], hex: selection.hex) }
            let flags: BPFMapUpdateFlags = noexist ? .noExist : exist ? .exist : .any
            do {
                if handle.info.type.isPerCPU {
                    try handle.map.updatePerCPU(key: key, values: [[UInt8]](repeating: value, count: PossibleCPUs.count),
                                                flags: flags)
                } else {
                    try handle.map.update(key: key, value: value, flags: flags)
                }
            } catch {
                throw CommandFailure("cannot update \(handle.info.name)[\(words[0])]: \(error)")
            }
            if !selection.json { print("updated \(handle.info.name)[\(words[0])] = \(words[1])") }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove one key.")
        @Argument(help: "[MAP (with --dev)] KEY") var words: [String] = []
        @OptionGroup var selection: Selection

        func run() throws {
            let (handle, words, key) = try selection.openWithKey(words, command: "delete")
            defer { handle.map.close() }
            let existed: Bool
            do {
                existed = try handle.map.delete(key: key)
            } catch {
                throw CommandFailure("cannot delete \(words[0]) from \(handle.info.name): \(error)")
            }
            guard existed else { throw CommandFailure("no entry for key \(words[0]) in \(handle.info.name)") }
            if !selection.json { print("deleted \(handle.info.name)[\(words[0])]") }
        }
    }
}

/// Printing map entries as text or JSON.
enum MapOutput {
    /// Runs a key/value conversion, turning its error into a one-line failure.
    static func typed<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw CommandFailure("\(error)") }
    }

    static func print(_ entries: [(key: [UInt8], values: [[UInt8]])], handle: MapHandle,
                      selection: MapCommand.Selection) throws {
        if selection.json {
            let items = try entries.map { entry -> JSONValue in
                let key = try typed { try handle.decodeKey(entry.key) }
                let values = try entry.values.map { bytes in selection.json(try typed { try handle.decodeValue(bytes) }, bytes) }
                return .object([("key", selection.json(key, entry.key)),
                                (handle.info.type.isPerCPU ? "values" : "value",
                                 handle.info.type.isPerCPU ? .array(values) : values[0])])
            }
            Swift.print(JSONValue.array(items).serialized())
            return
        }
        for entry in entries {
            let key = selection.text(try typed { try handle.decodeKey(entry.key) }, entry.key)
            let values = try entry.values.map { bytes in selection.text(try typed { try handle.decodeValue(bytes) }, bytes) }
            if handle.info.type.isPerCPU {
                Swift.print("\(key): " + values.enumerated().map { "cpu\($0.offset)=\($0.element)" }.joined(separator: " "))
            } else {
                Swift.print("\(key): \(values[0])")
            }
        }
        if entries.isEmpty { Swift.print("(\(handle.info.name) is empty)") }
    }
}
