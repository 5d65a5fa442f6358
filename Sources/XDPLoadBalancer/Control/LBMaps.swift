/// The typed view of xdp_lb's eight maps: every read and write goes through the Swift mirrors
/// of bpf/xdp_lb.h, so no caller handles raw key or value bytes.
public final class LBMaps: Sendable {
    /// `config`.
    public let config: BPFMap
    /// `services`.
    public let services: BPFMap
    /// `maglev`.
    public let maglev: BPFMap
    /// `backends`.
    public let backends: BPFMap
    /// `flows`.
    public let flows: BPFMap
    /// `reverse`.
    public let reverse: BPFMap
    /// `stats`.
    public let stats: BPFMap
    /// `backend_stats`.
    public let backendStats: BPFMap

    /// The maps of a freshly loaded object.
    public convenience init(_ loaded: LoadedObject) throws {
        try self.init { name in
            guard let map = loaded.map(named: name) else {
                throw LBError(.other("the object has no map \(name): is it xdp_lb.bpf.o?"))
            }
            return map
        }
    }

    /// The maps pinned in `directory` (`DIR/<name>`, as ``LoadedObject/pin(in:)`` writes them
    /// under `maps/`).
    public convenience init(pinnedIn directory: String) throws {
        try self.init { name in try BPFMap(pinnedAt: directory + "/" + name) }
    }

    /// The maps of `program` (an attached xdp_lb), found by name among its map ids.
    public convenience init(usedBy program: BPFProgram) throws {
        var byName: [String: BPFMap] = [:]
        for id in try program.info(details: true).mapIDs {
            let map = try BPFMap(adopting: BPFObjectKind.map.open(id: id))
            byName[try map.info().name] = map
        }
        try self.init { name in
            guard let map = byName[String(name.prefix(15))] else {
                throw LBError(.other("the program has no map \(name): is it xdp_lb?"))
            }
            return map
        }
    }

    private init(_ open: (String) throws -> BPFMap) throws {
        config = try open(LBMapName.config)
        services = try open(LBMapName.services)
        maglev = try open(LBMapName.maglev)
        backends = try open(LBMapName.backends)
        flows = try open(LBMapName.flows)
        reverse = try open(LBMapName.reverse)
        stats = try open(LBMapName.stats)
        backendStats = try open(LBMapName.backendStats)
    }

    /// A host-order `__u32` array key.
    static func index(_ value: UInt32) -> [UInt8] { ByteOrder.host.bytes(of: value) }

    // MARK: config

    /// `config[0]`.
    public func readConfig() throws -> LBConfig {
        try LBConfig(decoding: try config.lookup(key: Self.index(0)) ?? [])
    }

    /// Writes `config[0]`.
    public func writeConfig(_ value: LBConfig) throws {
        try config.update(key: Self.index(0), value: value.encoded)
    }

    // MARK: services

    /// Every `services` entry, by id.
    public func readServices() throws -> [(key: LBServiceKey, service: LBService)] {
        var result: [(key: LBServiceKey, service: LBService)] = []
        for entry in try services.allEntries() {
            result.append((try LBServiceKey(decoding: entry.key), try LBService(decoding: entry.value)))
        }
        return result.sorted { $0.service.id < $1.service.id }
    }

    /// Inserts or replaces a `services` entry.
    public func writeService(_ key: LBServiceKey, _ value: LBService) throws {
        try services.update(key: key.encoded, value: value.encoded)
    }

    /// Deletes a `services` entry; false if there was none.
    @discardableResult
    public func deleteService(_ key: LBServiceKey) throws -> Bool {
        try services.delete(key: key.encoded)
    }

    // MARK: maglev

    /// Writes service `serviceID`'s Maglev slots, `maglev[id * M + slot]`, skipping slots that
    /// already hold the right backend (only the slots Maglev reassigns change).
    /// Returns how many slots were written.
    @discardableResult
    public func writeMaglev(serviceID: UInt32, table: [UInt32], previous: [UInt32]? = nil) throws -> Int {
        guard table.count == LBConstants.maglevSize, serviceID < LBConstants.maxServices else {
            throw LBError(.other("a Maglev table has \(LBConstants.maglevSize) slots and service ids are below \(LBConstants.maxServices)"))
        }
        let base = serviceID * UInt32(LBConstants.maglevSize)
        var written = 0
        for (slot, backend) in table.enumerated() where previous?[slot] != backend {
            try maglev.update(key: Self.index(base + UInt32(slot)), value: Self.index(backend))
            written += 1
        }
        return written
    }

    /// Reads service `serviceID`'s M Maglev slots.
    public func readMaglev(serviceID: UInt32) throws -> [UInt32] {
        guard serviceID < LBConstants.maxServices else {
            throw LBError(.other("service ids are below \(LBConstants.maxServices), not \(serviceID)"))
        }
        let base = serviceID * UInt32(LBConstants.maglevSize)
        var table: [UInt32] = []
        table.reserveCapacity(LBConstants.maglevSize)
        for bytes in try Self.readArray(maglev, from: base, count: LBConstants.maglevSize) {
            let reader = ByteReader(bytes, order: .host, context: "maglev value")
            table.append(try reader.u32(at: 0))
        }
        return table
    }

    /// The values of `count` consecutive elements of array map `map` from index `start`:
    /// `BPF_MAP_LOOKUP_BATCH` from there (one syscall per batch), or one lookup per index
    /// where the kernel has no batches. Throws if the array ends before.
    static func readArray(_ map: BPFMap, from start: UInt32, count: Int) throws -> [[UInt8]] {
        var values: [[UInt8]] = []
        values.reserveCapacity(count)
        do {
            var token: BPFMapBatchToken? = start == 0 ? nil : .afterArrayIndex(start - 1)
            while values.count < count {
                let batch = try map.lookupBatch(after: token, count: count - values.count)
                values.append(contentsOf: batch.entries.lazy.map(\.value).prefix(count - values.count))
                guard let next = batch.next else { break }
                token = next
            }
        } catch {
            guard error.meansBatchUnsupported, values.isEmpty else { throw error }
            for index in start..<start + UInt32(count) {
                guard let value = try map.lookup(key: Self.index(index)) else { break }
                values.append(value)
            }
        }
        guard values.count == count else {
            throw LBError(.other("map \(map.name) has no elements \(start)..<\(Int(start) + count)"))
        }
        return values
    }

    // MARK: backends

    /// `backends[id]`.
    public func readBackend(id: UInt32) throws -> LBBackend {
        try LBBackend(decoding: try backends.lookup(key: Self.index(id)) ?? [])
    }

    /// Writes `backends[id]`.
    public func writeBackend(id: UInt32, _ value: LBBackend) throws {
        try backends.update(key: Self.index(id), value: value.encoded)
    }

    /// Every backend slot in use (flags not 0), by id.
    public func readBackends() throws -> [(id: UInt32, backend: LBBackend)] {
        var result: [(id: UInt32, backend: LBBackend)] = []
        let slots = try Self.readArray(backends, from: 1, count: LBConstants.maxBackends - 1)
        for (offset, bytes) in slots.enumerated() {
            let backend = try LBBackend(decoding: bytes)
            if !backend.flags.isEmpty { result.append((UInt32(offset + 1), backend)) }
        }
        return result
    }

    // MARK: flows

    /// Every `flows` entry, read with `BPF_MAP_LOOKUP_BATCH` (``BPFMap/allEntries(batchSize:)``:
    /// a few dozen syscalls for a full table instead of two per entry).
    public func readFlows() throws -> [(tuple: LBTuple, flow: LBFlow)] {
        var result: [(tuple: LBTuple, flow: LBFlow)] = []
        let entries = try flows.allEntries()
        result.reserveCapacity(entries.count)
        for entry in entries {
            result.append((try LBTuple(decoding: entry.key), try LBFlow(decoding: entry.value)))
        }
        return result
    }

    /// The `flows` entry of a client tuple.
    public func readFlow(_ tuple: LBTuple) throws -> LBFlow? {
        try flows.lookup(key: tuple.encoded).map { bytes throws in try LBFlow(decoding: bytes) }
    }

    /// The `reverse` entry of a backend-side tuple.
    public func readReverse(_ tuple: LBTuple) throws -> LBReverse? {
        try reverse.lookup(key: tuple.encoded).map { bytes throws in try LBReverse(decoding: bytes) }
    }

    /// Every `reverse` entry by its key (the backend-side tuple), read in batches like
    /// ``readFlows()``.
    public func readReverseEntries() throws -> [LBTuple: LBReverse] {
        let entries = try reverse.allEntries()
        var result: [LBTuple: LBReverse] = [:]
        result.reserveCapacity(entries.count)
        for entry in entries {
            result[try LBTuple(decoding: entry.key)] = try LBReverse(decoding: entry.value)
        }
        return result
    }

    /// Deletes every `flows` entry whose key matches `predicate`; returns how many.
    @discardableResult
    public func deleteFlows(where predicate: (LBTuple) -> Bool) throws -> Int {
        try Self.deleteEntries(of: flows) { entry in predicate(try LBTuple(decoding: entry.key)) }
    }

    /// Deletes every `reverse` entry whose value matches `predicate` (e.g. the entries whose
    /// client tuple belongs to a removed service); returns how many.
    @discardableResult
    public func deleteReverseEntries(where predicate: (LBReverse) -> Bool) throws -> Int {
        try Self.deleteEntries(of: reverse) { entry in predicate(try LBReverse(decoding: entry.value)) }
    }

    /// One batched walk of `map`, deleting the entries `matches` picks; returns how many were
    /// still there to delete.
    private static func deleteEntries(of map: BPFMap, where matches: (BPFMapEntry) throws -> Bool) throws -> Int {
        var deleted = 0
        for entry in try map.allEntries() where try matches(entry) {
            if try map.delete(key: entry.key) { deleted += 1 }
        }
        return deleted
    }

    // MARK: counters

    /// `stats[stat]` summed over the CPUs.
    public func readStat(_ stat: LBStat) throws -> LBCounter {
        let perCPU = try stats.lookupPerCPU(key: Self.index(stat.rawValue)) ?? []
        var sum = LBCounter()
        for bytes in perCPU { sum = sum + (try LBCounter(decoding: Array(bytes.prefix(LBCounter.size)))) }
        return sum
    }

    /// Every stat, summed over the CPUs.
    public func readStats() throws -> [LBStat: LBCounter] {
        var result: [LBStat: LBCounter] = [:]
        for stat in LBStat.allCases { result[stat] = try readStat(stat) }
        return result
    }

    /// `backend_stats[id]` summed over the CPUs.
    public func readBackendCounters(id: UInt32) throws -> LBBackendCounters {
        let perCPU = try backendStats.lookupPerCPU(key: Self.index(id)) ?? []
        var sum = LBBackendCounters()
        for bytes in perCPU {
            sum = sum + (try LBBackendCounters(decoding: Array(bytes.prefix(LBBackendCounters.size))))
        }
        return sum
    }

    /// Zeroes `backend_stats[id]` on every CPU (before a freed id is reused).
    public func resetBackendCounters(id: UInt32) throws {
        guard let perCPU = try backendStats.lookupPerCPU(key: Self.index(id)) else { return }
        try backendStats.updatePerCPU(key: Self.index(id),
                                      values: perCPU.map { [UInt8](repeating: 0, count: $0.count) })
    }
}
