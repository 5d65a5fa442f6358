@testable import BPFKernel
import Foundation
import Testing

@Suite struct ErrnoTests {
    @Test(arguments: [
        (Errno.EPERM, "EPERM", "Operation not permitted"),
        (Errno.ENOENT, "ENOENT", "No such file or directory"),
        (Errno.E2BIG, "E2BIG", "Argument list too long"),
        (Errno.EACCES, "EACCES", "Permission denied"),
        (Errno.EEXIST, "EEXIST", "File exists"),
        (Errno.EINVAL, "EINVAL", "Invalid argument"),
        (Errno.ENOSPC, "ENOSPC", "No space left on device"),
        (Errno.EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported"),
    ])
    func namesAndMessages(errno: Errno, name: String, message: String) {
        #expect(errno.name == name)
        #expect(errno.message == message)
        #expect(errno.description == "\(name): \(message)")
        // Our numbers are the C library's.
        #expect(String(cString: strerror(errno.rawValue)) == message)
    }

    @Test func valuesMatchTheCLibrary() {
        #expect(Errno.EPERM.rawValue == EPERM)
        #expect(Errno.EAGAIN.rawValue == EAGAIN)
        #expect(Errno.ENOSPC.rawValue == ENOSPC)
        #expect(Errno.ENODEV.rawValue == ENODEV)
        #expect(Errno.EOPNOTSUPP.rawValue == EOPNOTSUPP)
        #expect(Errno.ECONNREFUSED.rawValue == ECONNREFUSED)
        for (number, name) in Errno.names where number != 524 {
            #expect(!String(cString: strerror(number)).hasPrefix("Unknown error"), "\(name)")
        }
    }

    @Test func unknownAndKernelInternalValues() {
        #expect(Errno(rawValue: 200).name == "errno 200")
        #expect(Errno.ENOTSUPP.name == "ENOTSUPP")
        #expect(Errno.ENOTSUPP.message == "Operation is not supported")
    }

    @Test func hints() {
        #expect(Errno.EPERM.hint?.contains("CAP_BPF") == true)
        #expect(Errno.EACCES.hint?.contains("CAP_NET_ADMIN") == true)
        #expect(Errno.ENOENT.hint == nil)

        let denied = BPFError(command: .mapCreate, errno: .EPERM, object: "lb_map")
        #expect(denied.hint == "needs CAP_BPF (and CAP_NET_ADMIN / CAP_PERFMON for some program types) or root")
        #expect(denied.description.hasPrefix("BPF_MAP_CREATE \"lb_map\": EPERM: Operation not permitted (needs CAP_BPF"))

        let frozen = BPFError(command: .mapUpdateElem, errno: .EPERM)
        #expect(frozen.hint?.contains("frozen") == true)

        let rejected = BPFError(command: .progLoad, errno: .EACCES, object: "xdp", verifierLog: "0: (95) exit\nR0 !read_ok\n")
        #expect(rejected.hint?.contains("verifier rejected") == true)
        #expect(rejected.description.contains("R0 !read_ok"))

        let explicit = BPFError(command: .mapUpdateElem, errno: .EINVAL, hint: "key is 3 bytes")
        #expect(explicit.hint == "key is 3 bytes")
    }

    @Test func descriptionShowsOnlyTheLogTail() {
        let log = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let error = BPFError(command: .progLoad, errno: .EACCES, verifierLog: log)
        #expect(error.description.contains("last 20 of 100 lines"))
        #expect(error.description.contains("line 100"))
        #expect(!error.description.contains("line 80\n"))
        #expect(error.verifierLog == log)
    }

    @Test func commandNames() {
        #expect(BPFCommand.mapCreate.name == "BPF_MAP_CREATE")
        #expect(BPFCommand.progLoad.rawValue == 5)
        #expect(BPFCommand.linkCreate.rawValue == 28)
        #expect(BPFCommand.linkDetach.rawValue == 34)
        #expect(BPFCommand.allCases.map(\.rawValue) == Array(0...37))
        #expect(BPFCommand.allCases.allSatisfy { $0.name.hasPrefix("BPF_") })
    }
}

@Suite struct NamingTests {
    @Test func objectNamesAreMadeKernelSafe() {
        #expect(BPFObjectName("xdp_pass").value == "xdp_pass")
        #expect(BPFObjectName("a-very-long-program-name").value == "a_very_long_pro")
        #expect(BPFObjectName("a-very-long-program-name").value.utf8.count == 15)
        #expect(BPFObjectName("maps/élan").value == "maps___lan")  // é is 2 bytes, both replaced
        #expect(BPFObjectName(".rodata").value == ".rodata")
    }

    @Test func objectNamesRoundTripThroughCharArrays() {
        var field: (CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar,
                    CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar) =
            (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
        BPFObjectName("abc").write(into: &field)
        #expect(field.0 == 97 && field.3 == 0 && field.15 == 0)
        #expect(BPFObjectName.read(from: field) == "abc")
    }

    @Test func typeNames() {
        #expect(BPFMapType.hash.name == "hash")  // as bpftool prints it
        #expect(BPFMapType.lruPercpuHash.rawValue == 10)
        #expect(BPFMapType.percpuCgroupStorage.name == "percpu_cgroup_storage")
        #expect(BPFMapType(rawValue: 999).name == "type_999")
        #expect(BPFProgramType.xdp.rawValue == 6)
        #expect(BPFProgramType.xdp.name == "XDP")
        #expect(BPFAttachType.xdp.rawValue == 37)
        #expect(BPFAttachType.xdp.name == "XDP")
        #expect(BPFLinkType.xdp.rawValue == 6)
        #expect(BPFMapType.percpuArray.isPerCPU && !BPFMapType.array.isPerCPU)
        #expect(BPFMapUpdateFlags.noExist.union(.lock).description == "BPF_NOEXIST|BPF_F_LOCK")
        #expect(hexString([0x0a, 0xff, 0x00]) == "0aff00")
        #expect(hexString([1, 2, 3], limit: 2) == "0102…")
    }

    @Test func possibleCPUList() {
        #expect(PossibleCPUs.parse("0-3\n") == 4)
        #expect(PossibleCPUs.parse("0") == 1)
        #expect(PossibleCPUs.parse("0-3,8,10-11") == 7)
        #expect(PossibleCPUs.parse("") == nil)
        #expect(PossibleCPUs.parse("3-1") == nil)
        #expect(PossibleCPUs.parse("x") == nil)
        let text = (try? String(contentsOfFile: PossibleCPUs.path, encoding: .utf8)) ?? ""
        if let expected = PossibleCPUs.parse(text) { #expect(PossibleCPUs.count == expected) }
    }

    @Test func instructionEncoding() {
        #expect(InstructionBytes.moveImmediate(0, 2) == [0xb7, 0, 0, 0, 2, 0, 0, 0])
        #expect(InstructionBytes.exit == [0x95, 0, 0, 0, 0, 0, 0, 0])
        #expect(InstructionBytes.callHelper(160) == [0x85, 0, 0, 0, 160, 0, 0, 0])
        #expect(InstructionBytes.encode(code: 0xbf, dst: 1, src: 6, offset: -1, immediate: -2)
                == [0xbf, 0x61, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff])
    }
}

@Suite struct RetryPolicyTests {
    /// Feeds `results` (a value or -errno) to the retry loop and counts attempts.
    func run(_ command: BPFCommand, _ results: [Int32]) -> (Result<Int32, Errno>, attempts: Int) {
        var index = 0
        let result = BPFSyscall.retrying(command) {
            defer { index += 1 }
            return results[min(index, results.count - 1)]
        }
        return (result, index)
    }

    @Test func interruptedCallsAreAlwaysRetried() {
        let (result, attempts) = run(.mapCreate, [-EINTR, -EINTR, -EINTR, 7])
        #expect(result == .success(7) && attempts == 4)
    }

    @Test func eagainIsRetriedForProgramLoadsOnly() {
        let (load, loadAttempts) = run(.progLoad, [-EAGAIN, -EAGAIN, 5])
        #expect(load == .success(5) && loadAttempts == 3)
        let (update, updateAttempts) = run(.mapUpdateElem, [-EAGAIN, 0])
        #expect(update == .failure(.EAGAIN) && updateAttempts == 1)
    }

    @Test func eagainRetriesAreBounded() {
        let (result, attempts) = run(.progLoad, [-EAGAIN])
        #expect(result == .failure(.EAGAIN))
        #expect(attempts == BPFSyscall.progLoadAttempts)
    }

    @Test func otherErrorsAreNotRetried() {
        let (result, attempts) = run(.progLoad, [-EACCES, 3])
        #expect(result == .failure(.EACCES) && attempts == 1)
    }
}
