import BPFKernel
import Foundation
import Testing

extension SerialKernelTests {
    @Suite(.privileged) struct ProgramTests {
        init() { MemlockLimit.raiseIfNeeded() }

        @Test func loadTinyXDPProgram() throws {
            let name = UniqueName.make("p")
            let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: name))
            #expect(program.fd.rawValue >= 3)
            #expect(program.name == name && program.type == .xdp)
            #expect(program.verifierLog == nil)
        }

        @Test func infoMatchesWhatWasLoadedAndBpftool() throws {
            let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: UniqueName.make("p")))
            let info = try program.info()
            #expect(info.type == .xdp)
            #expect(info.name == program.name)
            #expect(info.translatedInstructions == TestPrograms.xdpPass)
            #expect(info.translatedSize == 16)
            #expect(info.mapIDs.isEmpty)
            #expect(info.tag.count == 16)
            #expect(info.gplCompatible)
            #expect(info.loadTime > 0)
            #expect(info.verifiedInstructions == 2)

            let shown = try Tool.bpftoolJSON(["prog", "show", "id", "\(info.id)"])
            #expect(shown["tag"] as? String == info.tag)
            #expect(shown["name"] as? String == info.name)
            #expect(shown["type"] as? String == "xdp")
            #expect(shown["bytes_xlated"] as? Int == 16)

            let summary = try program.info(details: false)
            #expect(summary.id == info.id && summary.translatedInstructions.isEmpty)
        }

        @Test func infoListsUsedMaps() throws {
            let map = try BPFMap(BPFMapDefinition(type: .array, keySize: 4, valueSize: 8, maxEntries: 1, name: UniqueName.make("m")))
            // r1 = map (ld_imm64 with BPF_PSEUDO_MAP_FD); r0 = 2; exit
            let program = InstructionBytes.encode(code: 0x18, dst: 1, src: 1, immediate: map.fd.rawValue)
                + InstructionBytes.encode(code: 0)
                + TestPrograms.xdpPass
            let loaded = try BPFProgram(BPFProgramDefinition(type: .xdp, expectedAttachType: .xdp, instructions: program, name: "with_map"))
            #expect(try loaded.info().mapIDs == [try map.info().id])
        }

        @Test func testRunReturnsXDPPass() throws {
            let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: UniqueName.make("p")))
            let result = try program.testRun(BPFTestRunInput(data: TestPrograms.packet, repeatCount: 10))
            #expect(result.returnValue == 2)
            #expect(result.data == TestPrograms.packet)
        }

        @Test func verifierRejectionCarriesTheLog() throws {
            let recorder = TraceRecorder()
            let definition = BPFProgramDefinition(type: .xdp, expectedAttachType: .xdp,
                                                  instructions: TestPrograms.uninitializedReturn, name: "no_r0")
            let error = try #require(throws: BPFError.self) {
                try recorder.record { try BPFProgram(definition) }
            }
            #expect(error.command == .progLoad)
            #expect(error.errno == .EACCES)
            #expect(error.object == "no_r0")
            #expect(error.verifierLog?.contains("R0 !read_ok") == true)
            #expect(error.hint?.contains("verifier") == true)
            #expect(error.description.contains("R0 !read_ok"))
            // First a load without a log, then one with log_level 1.
            let loads = recorder.calls(.progLoad)
            #expect(loads.count == 2)
            #expect(loads.first?.field("log_level") == nil)
            #expect(loads.last?.field("log_level") == "1")
            #expect(loads.allSatisfy { $0.failed })
        }

        @Test func smallLogBufferGrows() throws {
            // 200 instructions before the faulty exit make a log much longer than 128 bytes.
            let body = (0..<200).flatMap { _ in InstructionBytes.moveImmediate(1, 1) }
            let definition = BPFProgramDefinition(type: .xdp, instructions: body + TestPrograms.uninitializedReturn, name: "long_log")
            let reference = try #require(throws: BPFError.self) { try BPFProgram(definition) }
            let fullLog = try #require(reference.verifierLog)
            #expect(fullLog.utf8.count > 1000)

            let recorder = TraceRecorder()
            let small = VerifierLogOptions(initialSize: 128)
            let error = try #require(throws: BPFError.self) {
                try recorder.record { try BPFProgram(definition, logOptions: small) }
            }
            #expect(error.errno == .EACCES)
            #expect(error.verifierLog == fullLog)
            let sizes = recorder.calls(.progLoad).compactMap { $0.field("log_size") }
            #expect(sizes.first == "128")
            #expect(sizes.count >= 2)
            #expect(recorder.calls(.progLoad).dropFirst().first?.result.hasPrefix("ENOSPC") == true)
        }

        @Test func logCapIsRespected() throws {
            let body = (0..<200).flatMap { _ in InstructionBytes.moveImmediate(1, 1) }
            let definition = BPFProgramDefinition(type: .xdp, instructions: body + TestPrograms.uninitializedReturn, name: "capped")
            let error = try #require(throws: BPFError.self) {
                try BPFProgram(definition, logOptions: VerifierLogOptions(initialSize: 128, maximumSize: 256))
            }
            // The real reason survives even though the log overflowed.
            #expect(error.errno == .EACCES)
            #expect(error.verifierLog?.contains("log truncated") == true)
        }

        @Test func logOnSuccessWhenAsked() throws {
            let program = try BPFProgram(TestPrograms.xdpPassDefinition(name: "verbose"),
                                         logOptions: VerifierLogOptions(always: true))
            #expect(program.verifierLog?.contains("processed 2 insns") == true)
        }

        @Test func malformedDefinitionsAreRefusedBeforeTheCall() {
            #expect { try BPFProgram(BPFProgramDefinition(type: .xdp, instructions: [0x95, 0, 0], name: "odd")) } throws: {
                ($0 as? BPFError)?.errno == .EINVAL && ($0 as? BPFError)?.command == .progLoad
            }
            #expect { try BPFProgram(BPFProgramDefinition(type: .xdp, instructions: [], name: "empty")) } throws: {
                ($0 as? BPFError)?.errno == .EINVAL
            }
            var definition = TestPrograms.xdpPassDefinition(name: "records")
            definition.funcInfo = BTFExtRecords(recordSize: 8, bytes: [1, 2, 3])
            #expect { try BPFProgram(definition) } throws: { ($0 as? BPFError)?.hint?.contains("func_info") == true }
        }

        @Test func memlockProbeAgreesWithTheKernelVersion() {
            var name = utsname()
            uname(&name)
            let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
            let atLeast511 = parts.count == 2 && (parts[0], parts[1]) >= (5, 11)
            // Distribution kernels may backport either feature; on mainline both arrived in 5.11.
            #expect(MemlockLimit.kernelUsesMemcgAccounting == atLeast511)
            if atLeast511 { #expect(MemlockLimit.raiseIfNeeded() == .notNeeded) }
        }
    }
}
