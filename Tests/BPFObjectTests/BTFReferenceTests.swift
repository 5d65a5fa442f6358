import Foundation
import Testing
@testable import BPFObject

/// The dumper against `bpftool btf dump file X` (whole output, byte for byte), and the
/// round trip parse → write, on the kernel's BTF, every object and the embedded samples.
@Suite struct BTFReferenceTests {
    @Test func vmlinuxDumpMatchesBpftool() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: BTFInputs.vmlinuxPath)))
        let btf = try BTF(bytes: bytes, context: "vmlinux")
        #expect(btf.typeCount > 100_000)
        let reference = try BTFInputs.bpftoolDump(BTFInputs.vmlinuxPath)
        #expect(!reference.isEmpty, "bpftool printed nothing")
        let difference = BTFInputs.firstDifference(btf.dump(), reference)
        #expect(difference == nil, "\(difference ?? "")")
        #expect(btf.encoded() == bytes, "vmlinux does not round-trip")
    }

    @Test(arguments: BTFInputs.objects)
    func objectDumpMatchesBpftool(_ url: URL) throws {
        let object = try BTFInputs.object(url)
        let reference = try BTFInputs.bpftoolDump(url.path)
        #expect(!reference.isEmpty, "bpftool printed nothing")
        let difference = BTFInputs.firstDifference(object.btf.dump(), reference)
        #expect(difference == nil, "\(url.lastPathComponent): \(difference ?? "")")
    }

    @Test(arguments: BTFInputs.objects)
    func objectRoundTrips(_ url: URL) throws {
        let object = try BTFInputs.object(url)
        #expect(object.btf.encoded() == object.btfBytes)
        #expect(try BTF(bytes: object.btf.encoded()) == object.btf)
    }

    @Test(arguments: BTFInputs.sampleNames)
    func sampleDumpMatchesBpftool(_ name: String) throws {
        let bytes = BTFInputs.sample(name).btf
        let btf = try BTF(bytes: bytes)
        let path = try BTFInputs.temporaryFile(bytes, name: name + ".btf")
        let difference = BTFInputs.firstDifference(btf.dump(), try BTFInputs.bpftoolDump(path))
        #expect(difference == nil, "\(name): \(difference ?? "")")
        #expect(btf.encoded() == bytes)
    }

    @Test func byteOrderComesFromTheMagic() throws {
        let little = try BTF(bytes: BTFSamples.kindsBTF)
        let big = try BTF(bytes: BTFSamples.kindsBTFBigEndian)
        #expect(little.order == .little)
        #expect(big.order == .big)
        #expect(little.dump() == big.dump())
        #expect(little.words == big.words, "words are kept in host order whatever the blob's order")
        #expect(big.encoded() == BTFSamples.kindsBTFBigEndian, "written back big-endian")
        #expect(BTFSamples.kindsBTF != BTFSamples.kindsBTFBigEndian)
    }

    @Test func dumpOfOneType() throws {
        let btf = try BTF(bytes: BTFSamples.kindsBTF)
        let id = try #require(btf.typeID(named: "bits", kind: .structure))
        #expect(btf.dump(id) == """
            [34] STRUCT 'bits' size=12 vlen=5
            \t'a' type_id=10 bits_offset=0 bitfield_size=3
            \t'b' type_id=10 bits_offset=3 bitfield_size=5
            \t'c' type_id=2 bits_offset=32
            \t'flag' type_id=36 bits_offset=64 bitfield_size=1
            \t'arr' type_id=37 bits_offset=72

            """)
        #expect(btf.dump(0) == "")
        #expect(btf.dump(10_000) == "")
    }
}
