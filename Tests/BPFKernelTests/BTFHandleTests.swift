import BPFKernel
import Foundation
import Testing

extension SerialKernelTests {
    @Suite(.privileged) struct BTFHandleTests {
        @Test func loadsValidBTF() throws {
            let btf = try BTFHandle(loading: TinyBTF.intType(), label: "tiny")
            #expect(btf.fd.rawValue >= 3)
            let info = try btf.info()
            #expect(info.id > 0)
            #expect(info.size == UInt32(TinyBTF.intType().count))
            #expect(!info.isKernel)
            let shown = try Tool.bpftoolJSON(["btf", "show", "id", "\(info.id)"])
            #expect(shown["size"] as? Int == TinyBTF.intType().count)
        }

        @Test func mapWithBTFTypes() throws {
            let btf = try BTFHandle(loading: TinyBTF.intType(), label: "tiny")
            var definition = BPFMapDefinition(type: .hash, keySize: 4, valueSize: 4, maxEntries: 1, name: UniqueName.make("b"))
            definition.btf = BPFMapBTF(handle: btf, keyTypeID: 1, valueTypeID: 1)
            let map = try BPFMap(definition)
            let info = try map.info()
            #expect(info.btfID == (try btf.info().id))
            #expect(info.btfKeyTypeID == 1 && info.btfValueTypeID == 1)
        }

        @Test func invalidBTFCarriesTheKernelLog() throws {
            let broken = TinyBTF.intType(nameOffset: 100)  // past the end of the string section
            let error = try #require(throws: BPFError.self) { try BTFHandle(loading: broken, label: "broken") }
            #expect(error.command == .btfLoad)
            #expect(error.errno == .EINVAL)
            #expect(error.object == "broken")
            #expect(error.verifierLog?.contains("Invalid name") == true)
        }

        @Test func garbageIsATypedError() {
            #expect { try BTFHandle(loading: [1, 2, 3, 4]) } throws: { ($0 as? BPFError)?.command == .btfLoad }
        }
    }
}
