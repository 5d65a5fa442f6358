import CBPF

/// Input of `BPF_PROG_TEST_RUN` (the `test` member of `union bpf_attr`): run a loaded program
/// in the kernel on a given packet and context, without attaching it.
public struct BPFTestRunInput: Sendable, Equatable {
    /// `data_in`: the packet (XDP: at least an Ethernet header, 14 bytes).
    public var data: [UInt8]
    /// Capacity of `data_out`; nil: the input size plus 4 KiB (room for tail growth).
    public var dataOutCapacity: Int?
    /// `ctx_in`: the context (XDP: `struct xdp_md`, 24 bytes), empty for none.
    public var context: [UInt8]
    /// Capacity of `ctx_out`; nil: as large as `context` (0: do not ask for it).
    public var contextOutCapacity: Int?
    /// `repeat`: runs (≥ 1); `duration` is the mean per run.
    public var repeatCount: UInt32
    /// `flags` (`BPF_F_TEST_RUN_ON_CPU` = 1, `BPF_F_TEST_XDP_LIVE_FRAMES` = 2).
    public var flags: UInt32
    /// `cpu`, with `BPF_F_TEST_RUN_ON_CPU`.
    public var cpu: UInt32

    /// Creates an input; the remaining fields start empty/zero.
    public init(data: [UInt8], context: [UInt8] = [], repeatCount: UInt32 = 1) {
        self.data = data
        self.dataOutCapacity = nil
        self.context = context
        self.contextOutCapacity = nil
        self.repeatCount = repeatCount
        self.flags = 0
        self.cpu = 0
    }
}

extension BPFTestRunInput {
    /// An XDP run with a context: `struct xdp_md` (linux/bpf.h, 24 bytes: `data` 0,
    /// `data_end` = the packet's length, `data_meta` 0, `ingress_ifindex`, `rx_queue_index`,
    /// `egress_ifindex` 0) as if the packet arrived on interface `ingressInterface`, queue
    /// `rxQueue`. The kernel checks that the interface exists in the caller's network
    /// namespace and has that queue; helpers such as `bpf_fib_lookup` then see it.
    public static func xdp(data: [UInt8], ingressInterface: UInt32, rxQueue: UInt32 = 0,
                           repeatCount: UInt32 = 1) -> BPFTestRunInput {
        var context: [UInt8] = []
        context.reserveCapacity(24)
        for word in [0, UInt32(data.count), 0, ingressInterface, rxQueue, 0] as [UInt32] {
            withUnsafeBytes(of: word) { context.append(contentsOf: $0) }  // host byte order
        }
        return BPFTestRunInput(data: data, context: context, repeatCount: repeatCount)
    }
}

/// Output of `BPF_PROG_TEST_RUN`.
public struct BPFTestRunResult: Sendable, Equatable {
    /// `retval`: what the program returned (XDP: 0 aborted, 1 drop, 2 pass, 3 tx, 4 redirect).
    public var returnValue: UInt32
    /// `duration`: mean nanoseconds per run.
    public var durationNanoseconds: UInt32
    /// `data_out`, `data_size_out` bytes: the packet as the program left it.
    public var data: [UInt8]
    /// `ctx_out`, `ctx_size_out` bytes.
    public var context: [UInt8]
}

extension BPFProgram {
    /// Runs the program once per `input.repeatCount` on `input.data` (`BPF_PROG_TEST_RUN`).
    public func testRun(_ input: BPFTestRunInput) throws(BPFError) -> BPFTestRunResult {
        var dataOut = [UInt8](repeating: 0, count: input.dataOutCapacity ?? input.data.count + 4096)
        var contextOut = [UInt8](repeating: 0, count: input.contextOutCapacity ?? input.context.count)
        var attr = cbpf_prog_test_run_attr()
        attr.prog_fd = UInt32(bitPattern: fd.rawValue)
        attr.repeat = input.repeatCount
        attr.flags = input.flags
        attr.cpu = input.cpu
        let result = input.data.withUnsafeBytes { dataIn in
            input.context.withUnsafeBytes { contextIn in
                dataOut.withUnsafeMutableBytes { dataOutBuffer in
                    contextOut.withUnsafeMutableBytes { contextOutBuffer in
                        attr.data_in = dataIn.isEmpty ? 0 : kernelAddress(dataIn.baseAddress)
                        attr.data_size_in = UInt32(dataIn.count)
                        attr.data_out = dataOutBuffer.isEmpty ? 0 : kernelAddress(dataOutBuffer.baseAddress)
                        attr.data_size_out = UInt32(dataOutBuffer.count)
                        attr.ctx_in = contextIn.isEmpty ? 0 : kernelAddress(contextIn.baseAddress)
                        attr.ctx_size_in = UInt32(contextIn.count)
                        attr.ctx_out = contextOutBuffer.isEmpty ? 0 : kernelAddress(contextOutBuffer.baseAddress)
                        attr.ctx_size_out = UInt32(contextOutBuffer.count)
                        return BPFSyscall.perform(.progTestRun, &attr, fields: { attr in
                            [.init("prog_fd", "\(attr.prog_fd)"), .init("data_size_in", "\(attr.data_size_in)"),
                             .init("ctx_size_in", "\(attr.ctx_size_in)"), .init("repeat", "\(attr.repeat)"),
                             .init("flags", "\(attr.flags)")]
                        }, outcome: { attr, _ in
                            "retval=\(attr.retval) duration=\(attr.duration)ns data_size_out=\(attr.data_size_out)"
                        })
                    }
                }
            }
        }
        try result.orThrow(.progTestRun, object: name)
        return BPFTestRunResult(
            returnValue: attr.retval,
            durationNanoseconds: attr.duration,
            data: Array(dataOut.prefix(Int(attr.data_size_out))),
            context: Array(contextOut.prefix(Int(attr.ctx_size_out)))
        )
    }
}
