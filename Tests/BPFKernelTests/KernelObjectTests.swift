import BPFKernel
import Foundation
import Testing

extension SerialKernelTests {
    @Suite(.privileged) struct PinningTests {
        /// A fresh directory on bpffs, removed (with everything pinned in it) after `body`, even
        /// when `body` fails.
        func withPinDirectory(_ body: (String) throws -> Void) throws {
            try BPFFileSystem.mountIfNeeded()
            let directory = "\(BPFFileSystem.defaultMountPoint)/swift-xdp-test-\(UniqueName.make("d"))"
            #expect(mkdir(directory, 0o700) == 0)
            defer {
                if let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) {
                    for entry in entries { unlink("\(directory)/\(entry)") }
                }
                rmdir(directory)
            }
            try body(directory)
        }

        @Test func bpffsIsDetected() throws {
            try BPFFileSystem.mountIfNeeded()
            #expect(try BPFFileSystem.isMounted())
            #expect(try BPFFileSystem.isMounted(at: "/proc") == false)
            #expect(throws: Errno.ENOENT) { try BPFFileSystem.isMounted(at: "/no/such/path") }
        }

        @Test func pinAndGetMap() throws {
            try withPinDirectory { directory in
                let path = "\(directory)/map"
                let map = try BPFMap(BPFMapDefinition(type: .hash, keySize: 4, valueSize: 4, maxEntries: 8, name: "pinned_map"))
                try map.update(key: bytes(UInt32(1)), value: bytes(UInt32(99)))
                try map.pin(at: path)
                let id = try map.info().id
                map.close()

                // The pin keeps the map alive after its last fd is gone.
                let reopened = try BPFMap(pinnedAt: path)
                #expect(try reopened.info().id == id)
                #expect(reopened.name == "pinned_map" && reopened.type == .hash)
                #expect(try reopened.lookup(key: bytes(UInt32(1))) == bytes(UInt32(99)))

                #expect { try reopened.pin(at: path) } throws: {
                    ($0 as? BPFError)?.command == .objPin && ($0 as? BPFError)?.errno == .EEXIST
                }
            }
        }

        @Test func pinAndGetProgram() throws {
            try withPinDirectory { directory in
                let path = "\(directory)/prog"
                let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: "pinned_prog"))
                try program.pin(at: path)
                let reopened = try BPFProgram(pinnedAt: path)
                #expect(reopened.name == "pinned_prog" && reopened.type == .xdp)
                #expect(try reopened.info().id == (try program.info().id))
            }
        }

        @Test func getOfMissingPathIsATypedError() throws {
            try withPinDirectory { directory in
                #expect { try BPFMap(pinnedAt: "\(directory)/nothing") } throws: {
                    let error = $0 as? BPFError
                    return error?.command == .objGet && error?.errno == .ENOENT && error?.object == "\(directory)/nothing"
                }
            }
        }
    }

    @Suite(.privileged) struct ObjectIDTests {
        @Test func idsListAndOpenObjects() throws {
            let map = try BPFMap(BPFMapDefinition(type: .array, keySize: 4, valueSize: 4, maxEntries: 1, name: UniqueName.make("i")))
            let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: UniqueName.make("i")))
            let btf = try BTFHandle(loading: TinyBTF.intType())
            let mapID = try map.info().id
            let programID = try program.info(details: false).id
            let btfID = try btf.info().id

            #expect(try BPFObjectKind.map.ids().contains(mapID))
            #expect(try BPFObjectKind.program.ids().contains(programID))
            #expect(try BPFObjectKind.btf.ids().contains(btfID))
            // one walk, compared with itself sorted: two walks differ whenever another process
            // creates or frees a map in between
            let mapIDs = try BPFObjectKind.map.ids()
            #expect(mapIDs == mapIDs.sorted())

            let openedProgram = try BPFProgram(adopting: BPFObjectKind.program.open(id: programID))
            #expect(openedProgram.name == program.name)
            let openedBTF = BTFHandle(adopting: try BPFObjectKind.btf.open(id: btfID))
            #expect(try openedBTF.info().id == btfID)

            // Compare with bpftool's list of maps.
            let (_, output) = try Tool.run("bpftool", ["-j", "map", "show"])
            let listed = (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]) ?? []
            #expect(listed.contains { $0["id"] as? Int == Int(mapID) })
        }

        @Test func freedIDsAreGone() throws {
            let map = try BPFMap(BPFMapDefinition(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
            let id = try map.info().id
            map.close()
            #expect { try BPFObjectKind.map.open(id: id) } throws: {
                let error = $0 as? BPFError
                return error?.command == .mapGetFDByID && error?.errno == .ENOENT && error?.hint?.contains("no object") == true
            }
        }
    }

    @Suite(.privileged) struct LeakTests {
        @Test func thousandMapsLeaveNoDescriptorsOrMaps() throws {
            let before = try FileDescriptor.openCount()
            var ids: [UInt32] = []
            do {
                var maps: [BPFMap] = []
                for index in 0..<1000 {
                    let map = try BPFMap(BPFMapDefinition(type: .array, keySize: 4, valueSize: 4, maxEntries: 1, name: "leak\(index)"))
                    #expect(map.fd.rawValue >= 3)
                    maps.append(map)
                }
                #expect(try FileDescriptor.openCount() >= before + 1000 - 20)
                ids = try maps.map { try $0.info().id }
            }
            // Precise: a map lives while any fd refers to it, so if every id is gone, no fd leaked.
            let stillThere = ids.filter { (try? BPFObjectKind.map.open(id: $0)) != nil }
            #expect(stillThere.isEmpty)
            // Coarse: suites running in parallel may hold a few descriptors meanwhile; a leak
            // here would be about 1000.
            let after = try FileDescriptor.openCount()
            #expect(after - before < 50, "before \(before), after \(after)")
        }

        @Test func failedLoadsLeaveNoDescriptors() throws {
            let before = try FileDescriptor.openCount()
            for _ in 0..<50 {
                _ = try? BPFProgram(BPFProgramDefinition(type: .xdp, instructions: TestPrograms.uninitializedReturn, name: "fail"))
                _ = try? BPFMap(BPFMapDefinition(type: .hash, keySize: 0, valueSize: 0, maxEntries: 0))
            }
            #expect(try FileDescriptor.openCount() - before < 20)
        }
    }
}
