import BPFKernel
import Testing

extension SerialKernelTests {
    /// `BPF_MAP_LOOKUP_BATCH` (``BPFMap/lookupBatch(after:count:elementFlags:)``,
    /// ``BPFMap/allEntries(batchSize:)``) against the per-key walk (``BPFMap/entriesByKey()``).
    @Suite(.privileged) struct MapBatchTests {
        init() { MemlockLimit.raiseIfNeeded() }

        /// The batch size the boundary cases are built around.
        static let batch = 64
        /// Element counts around the batch size, and a few thousand.
        static let counts = [0, 1, batch - 1, batch, batch + 1, 4999]

        func makeMap(_ type: BPFMapType, key: UInt32 = 4, value: UInt32 = 8, max: UInt32,
                     flags: BPFMapFlags = []) throws -> BPFMap {
            try BPFMap(BPFMapDefinition(type: type, keySize: key, valueSize: value, maxEntries: max,
                                        flags: flags, name: UniqueName.make("b")))
        }

        /// A value for element `index`, per CPU for per-CPU maps (every CPU's slot differs).
        func value(_ index: Int, for map: BPFMap) -> [UInt8] {
            guard map.type.isPerCPU else { return bytes(UInt64(index) &* 0x9e37_79b9 &+ 1) }
            return (0..<PossibleCPUs.count).flatMap { cpu in bytes(UInt64(index) << 8 | UInt64(cpu)) }
        }

        /// Stores `count` elements with keys `index * 7` (array maps: every index).
        func fill(_ map: BPFMap, count: Int) throws {
            for index in 0..<count {
                let key = map.type == .array || map.type == .percpuArray ? UInt32(index) : UInt32(index * 7)
                try map.update(key: bytes(key), value: value(index, for: map))
            }
        }

        @Test(arguments: [BPFMapType.hash, .lruHash, .percpuHash, .lruPercpuHash], counts)
        func hashBatchesEqualThePerKeyWalk(type: BPFMapType, count: Int) throws {
            // LRU maps evict before they are full (per-CPU free lists): leave room.
            let map = try makeMap(type, max: UInt32(max(count, 1) * 2 + 64))
            try fill(map, count: count)
            let byKey = try map.entriesByKey()
            let batched = try map.allEntries(batchSize: Self.batch)
            #expect(batched.count == byKey.count)
            #expect(Set(batched) == Set(byKey))
            if type != .lruHash && type != .lruPercpuHash { #expect(batched.count == count) }
            #expect(Set(try map.allEntries()) == Set(byKey))   // the default batch size
        }

        @Test(arguments: [BPFMapType.array, .percpuArray], counts.filter { $0 > 0 })
        func arrayBatchesEqualThePerKeyWalkInIndexOrder(type: BPFMapType, count: Int) throws {
            let map = try makeMap(type, max: UInt32(count))
            try fill(map, count: count)
            let byKey = try map.entriesByKey()
            let batched = try map.allEntries(batchSize: Self.batch)
            #expect(batched == byKey)
            #expect(batched.map(\.key) == (0..<count).map { bytes(UInt32($0)) })
        }

        @Test func batchesAreCountedAndTheLastSaysSo() throws {
            let map = try makeMap(.array, max: UInt32(Self.batch * 2))
            let recorder = TraceRecorder()
            let entries = try recorder.record { try map.allEntries(batchSize: Self.batch) }
            #expect(entries.count == Self.batch * 2)
            // Two full batches, then one that finds nothing more (ENOENT, no elements).
            let calls = recorder.calls(.mapLookupBatch)
            #expect(calls.map(\.result) == ["\(Self.batch) elements", "\(Self.batch) elements", "ENOENT: No such file or directory"])
            #expect(recorder.calls(.mapGetNextKey).isEmpty && recorder.calls(.mapLookupElem).isEmpty)

            // One call at a time: the token carries on where the last batch stopped.
            let first = try map.lookupBatch(after: nil, count: 10)
            #expect(first.entries.map(\.key) == (0..<10).map { bytes(UInt32($0)) })
            #expect(first.next != nil)
            let second = try map.lookupBatch(after: first.next, count: 10)
            #expect(second.entries.first?.key == bytes(UInt32(10)))
            let rest = try map.lookupBatch(after: .afterArrayIndex(UInt32(Self.batch * 2 - 4)), count: 10)
            #expect(rest.entries.count == 3 && rest.next == nil)
        }

        @Test func oddKeySizes() throws {
            // Token buffers are max(key_size, 4) bytes: a 2-byte key still gets a 4-byte token.
            let small = try makeMap(.hash, key: 2, value: 4, max: 512)
            for index in 0..<300 { try small.update(key: bytes(UInt16(index)), value: bytes(UInt32(index))) }
            #expect(Set(try small.allEntries(batchSize: 7)) == Set(try small.entriesByKey()))
            let wide = try makeMap(.hash, key: 37, value: 3, max: 512)
            for index in 0..<300 {
                try wide.update(key: [UInt8](repeating: UInt8(index % 256), count: 36) + [UInt8(index / 256)],
                                value: [1, 2, UInt8(index % 256)])
            }
            let entries = try wide.allEntries(batchSize: 16)
            let byKey = try wide.entriesByKey()
            #expect(entries.count == 300 && Set(entries) == Set(byKey))
        }

        @Test func aBucketLargerThanTheBatchIsRetriedBigger() throws {
            // 1000 keys in 1024 buckets: some bucket holds two or more (a certainty in
            // practice), which a batch of one cannot take.
            let map = try makeMap(.hash, max: 1024)
            try fill(map, count: 1000)
            let refusal = walkInBatchesOfOne(map)
            #expect(refusal?.errno == .ENOSPC)
            #expect(refusal?.command == .mapLookupBatch && refusal?.hint?.contains("bigger batch") == true)

            let recorder = TraceRecorder()
            let entries = try recorder.record { try map.allEntries(batchSize: 1) }
            #expect(entries.count == 1000)
            #expect(Set(entries) == Set(try map.entriesByKey()))
            #expect(recorder.calls(.mapLookupBatch).contains { $0.result.hasPrefix("ENOSPC") })
        }

        /// Walks `map` one element per batch; returns the error that stopped the walk, if any.
        func walkInBatchesOfOne(_ map: BPFMap) -> BPFError? {
            var token: BPFMapBatchToken? = nil
            while true {
                let batch: BPFMapBatch
                do {
                    batch = try map.lookupBatch(after: token, count: 1)
                } catch {
                    return error
                }
                guard let next = batch.next else { return nil }
                token = next
            }
        }

        @Test func mapTypesWithoutBatchesFallBackToThePerKeyWalk() throws {
            // Device maps have GET_NEXT_KEY and LOOKUP_ELEM but no batch operations (ENOTSUPP).
            let devices = try makeMap(.devmap, key: 4, value: 4, max: 8)
            let loopback = bytes(UInt32(1))
            for slot in [0, 2, 3, 5, 7] { try devices.update(key: bytes(UInt32(slot)), value: loopback) }
            #expect { try devices.lookupBatch(after: nil, count: 8) } throws: {
                ($0 as? BPFError)?.meansBatchUnsupported == true
            }
            let recorder = TraceRecorder()
            let entries = try recorder.record { try devices.allEntries(batchSize: 8) }
            #expect(entries == [0, 2, 3, 5, 7].map { BPFMapEntry(key: bytes(UInt32($0)), value: loopback) })
            let batchCalls = recorder.calls(.mapLookupBatch)
            #expect(batchCalls.count == 1 && batchCalls.allSatisfy(\.failed))
            #expect(recorder.calls(.mapGetNextKey).count == 8)   // one per slot (keys() stops at max_entries)
        }

        @Test func badArgumentsAreRefusedBeforeTheCall() throws {
            let map = try makeMap(.hash, max: 4)
            let recorder = TraceRecorder()
            recorder.record {
                #expect { try map.lookupBatch(after: nil, count: 0) } throws: { ($0 as? BPFError)?.errno == .EINVAL }
                #expect { try map.lookupBatch(after: BPFMapBatchToken(bytes: [1]), count: 4) } throws: {
                    ($0 as? BPFError)?.hint?.contains("token") == true
                }
            }
            #expect(recorder.recorded.isEmpty)
        }
    }
}
