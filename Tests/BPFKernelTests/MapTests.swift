import BPFKernel
import Foundation
import Testing

extension SerialKernelTests {
    @Suite(.privileged) struct MapTests {
        init() { MemlockLimit.raiseIfNeeded() }

        func makeMap(_ type: BPFMapType, key: UInt32 = 4, value: UInt32 = 8, max: UInt32 = 16,
                     flags: BPFMapFlags = []) throws -> BPFMap {
            try BPFMap(BPFMapDefinition(type: type, keySize: key, valueSize: value, maxEntries: max,
                                        flags: flags, name: UniqueName.make("m")))
        }

        @Test(arguments: [BPFMapType.array, .hash, .percpuHash, .percpuArray, .lruHash, .lruPercpuHash])
        func createEachType(type: BPFMapType) throws {
            let map = try makeMap(type)
            #expect(map.fd.rawValue >= 3)
            let info = try map.info()
            #expect(info.type == type)
            #expect(info.keySize == 4 && info.valueSize == 8 && info.maxEntries == 16)
            #expect(info.name == map.name)
            #expect(info.id > 0)
            // Compare with bpftool's view of the same map.
            let shown = try Tool.bpftoolJSON(["map", "show", "id", "\(info.id)"])
            #expect(shown["name"] as? String == map.name)
            #expect(shown["bytes_key"] as? Int == 4)
            #expect(shown["bytes_value"] as? Int == 8)
            #expect(shown["max_entries"] as? Int == 16)
            #expect(shown["type"] as? String == type.name)
        }

        @Test func programArrayHoldsProgramFDs() throws {
            let map = try makeMap(.progArray, key: 4, value: 4, max: 4)
            let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: UniqueName.make("p")))
            try map.update(key: bytes(UInt32(1)), value: bytes(UInt32(bitPattern: program.fd.rawValue)))
            // User space reads back the program's id, not the fd it wrote.
            let id = try program.info(details: false).id
            #expect(try map.lookup(key: bytes(UInt32(1))) == bytes(id))
            #expect(try map.delete(key: bytes(UInt32(1))))
        }

        @Test func hashMapCRUD() throws {
            let map = try makeMap(.hash, max: 4)
            let key = bytes(UInt32(7))
            #expect(try map.lookup(key: key) == nil)
            try map.update(key: key, value: bytes(UInt64(42)))
            #expect(try map.lookup(key: key) == bytes(UInt64(42)))

            // BPF_NOEXIST on an existing key, BPF_EXIST on a missing one.
            #expect { try map.update(key: key, value: bytes(UInt64(1)), flags: .noExist) } throws: {
                ($0 as? BPFError)?.errno == .EEXIST
            }
            #expect { try map.update(key: bytes(UInt32(8)), value: bytes(UInt64(1)), flags: .exist) } throws: {
                ($0 as? BPFError)?.errno == .ENOENT
            }
            try map.update(key: key, value: bytes(UInt64(43)), flags: .exist)
            #expect(try map.lookup(key: key) == bytes(UInt64(43)))

            #expect(try map.delete(key: key))
            #expect(try map.delete(key: key) == false)
            #expect(try map.lookup(key: key) == nil)
        }

        @Test func fullHashMapSaysE2BIG() throws {
            let map = try makeMap(.hash, max: 2)
            try map.update(key: bytes(UInt32(1)), value: bytes(UInt64(1)))
            try map.update(key: bytes(UInt32(2)), value: bytes(UInt64(2)))
            #expect { try map.update(key: bytes(UInt32(3)), value: bytes(UInt64(3))) } throws: {
                let error = $0 as? BPFError
                return error?.errno == .E2BIG && error?.hint?.contains("full") == true
            }
        }

        @Test func wrongSizesAreRefusedBeforeTheCall() throws {
            let map = try makeMap(.hash)
            let recorder = TraceRecorder()
            recorder.record {
                #expect { try map.update(key: [1, 2, 3], value: bytes(UInt64(1))) } throws: {
                    let error = $0 as? BPFError
                    return error?.errno == .EINVAL && error?.hint?.contains("key is 3 bytes") == true
                }
                #expect { try map.update(key: bytes(UInt32(1)), value: [1]) } throws: { ($0 as? BPFError)?.errno == .EINVAL }
                #expect { try map.lookup(key: []) } throws: { ($0 as? BPFError)?.errno == .EINVAL }
            }
            #expect(recorder.recorded.isEmpty)
        }

        @Test func iterateKeys() throws {
            let map = try makeMap(.hash, max: 32)
            let keys = (0..<20).map { bytes(UInt32($0 * 3)) }
            for key in keys { try map.update(key: key, value: bytes(UInt64(1))) }
            let found = try map.keys()
            #expect(Set(found) == Set(keys))
            #expect(found.count == 20)
            #expect(try map.nextKey(after: nil) != nil)

            let array = try makeMap(.array, max: 5)
            #expect(try array.keys() == (0..<5).map { bytes(UInt32($0)) })
            #expect(try array.nextKey(after: bytes(UInt32(4))) == nil)
        }

        @Test func freezeMakesUpdatesFailWithEPERM() throws {
            let map = try makeMap(.array, max: 1)
            try map.update(key: bytes(UInt32(0)), value: bytes(UInt64(5)))
            try map.freeze()
            #expect { try map.update(key: bytes(UInt32(0)), value: bytes(UInt64(6))) } throws: {
                let error = $0 as? BPFError
                return error?.command == .mapUpdateElem && error?.errno == .EPERM && error?.hint?.contains("frozen") == true
            }
            #expect(try map.lookup(key: bytes(UInt32(0))) == bytes(UInt64(5)))
            // A second freeze is refused: user space can no longer write to it at all.
            #expect { try map.freeze() } throws: {
                ($0 as? BPFError)?.errno == .EPERM && ($0 as? BPFError)?.hint?.contains("already frozen") == true
            }
        }

        @Test func perCPUValues() throws {
            let map = try makeMap(.percpuArray, key: 4, value: 4, max: 2)
            let cpus = PossibleCPUs.count
            #expect(map.kernelValueSize == cpus * 8)
            let values = (0..<cpus).map { bytes(UInt32($0 + 100)) }
            try map.updatePerCPU(key: bytes(UInt32(1)), values: values)
            #expect(try map.lookupPerCPU(key: bytes(UInt32(1))) == values)
            #expect(try map.lookup(key: bytes(UInt32(1)))?.count == cpus * 8)
            #expect { try map.updatePerCPU(key: bytes(UInt32(1)), values: [bytes(UInt32(1))] + values) } throws: {
                ($0 as? BPFError)?.errno == .EINVAL
            }
            let plain = try makeMap(.array)
            #expect { try plain.lookupPerCPU(key: bytes(UInt32(0))) } throws: { ($0 as? BPFError)?.errno == .EINVAL }
        }

        @Test func queueHasNoKeys() throws {
            let queue = try makeMap(.queue, key: 0, value: 4, max: 4)
            try queue.update(key: [], value: bytes(UInt32(9)))
            try queue.update(key: [], value: bytes(UInt32(10)))
            #expect(try queue.lookupAndDelete(key: []) == bytes(UInt32(9)))
            #expect(try queue.lookup(key: []) == bytes(UInt32(10)))
        }

        @Test func createIsTraced() throws {
            let recorder = TraceRecorder()
            let map = try recorder.record { try makeMap(.hash, key: 4, value: 8, max: 16) }
            let call = try #require(recorder.calls(.mapCreate).first)
            #expect(call.interface == "bpf")
            #expect(call.field("map_type") == "hash")
            #expect(call.field("key_size") == "4")
            #expect(call.field("value_size") == "8")
            #expect(call.field("max_entries") == "16")
            #expect(call.field("map_name") == map.name)
            #expect(call.result == "fd \(map.fd.rawValue)")
            #expect(!call.failed)
        }

        @Test func badDefinitionIsATypedError() throws {
            let recorder = TraceRecorder()
            recorder.record {
                #expect {
                    try BPFMap(BPFMapDefinition(type: .hash, keySize: 0, valueSize: 8, maxEntries: 1, name: "bad"))
                } throws: {
                    let error = $0 as? BPFError
                    return error?.command == .mapCreate && error?.errno == .EINVAL && error?.object == "bad"
                }
            }
            let call = try #require(recorder.calls(.mapCreate).first)
            #expect(call.failed && call.result == "EINVAL: Invalid argument")
        }

        @Test func adoptReadsTheShape() throws {
            let map = try makeMap(.lruHash, key: 8, value: 16, max: 64)
            let info = try map.info()
            let reopened = try BPFMap(adopting: BPFObjectKind.map.open(id: info.id))
            #expect(reopened.type == .lruHash && reopened.keySize == 8 && reopened.valueSize == 16 && reopened.maxEntries == 64)
            #expect(reopened.name == map.name)
            try map.update(key: [UInt8](repeating: 1, count: 8), value: [UInt8](repeating: 2, count: 16))
            #expect(try reopened.lookup(key: [UInt8](repeating: 1, count: 8)) == [UInt8](repeating: 2, count: 16))
        }
    }
}
