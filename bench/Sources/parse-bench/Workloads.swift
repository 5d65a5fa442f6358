// The work being timed. Each workload returns a small count derived from its result so the
// optimiser must do the work and the output can be sanity-checked against libbpf's.
import BPFObject

/// Object mode: parse the object, then (unless `parseOnly`) link every entry program.
/// Returns the number of programs.
func parseObject(_ bytes: [UInt8], name: String, parseOnly: Bool) throws -> Int {
    let object = try BPFObjectFile(bytes: bytes, name: name)
    if parseOnly { return object.programs.count }
    var linkedInstructions = 0
    for program in object.programs {
        linkedInstructions &+= try object.link(program).instructions.count
    }
    workSink &+= linkedInstructions
    return object.programs.count
}

/// Receives a value from every link so it cannot be optimised away; printed at exit.
nonisolated(unsafe) var workSink = 0

/// BTF mode: parse a raw BTF blob. Returns the number of types (not counting `void`).
func parseBTF(_ bytes: [UInt8], name: String) throws -> Int {
    try BTF(bytes: bytes[...], context: name).typeCount
}
