@testable import BPFObject

extension LinkedProgram {
    /// The func_info and line_info the linker should give this program, from a plain reference:
    /// placement by placement, the records of its section inside the placed function, in file
    /// order, moved to its position (``BTFExt/kernelFuncInfo(section:instructions:placedAt:)``
    /// and ``BTFExt/kernelLineInfo(section:instructions:placedAt:)``, which decode the whole
    /// group and filter it, as opposed to the linker's in-place conversion, binary search and
    /// bulk paths).
    func referenceRecords(in ext: BTFExt) -> (funcInfo: [BPFFuncInfo], lineInfo: [BPFLineInfo]) {
        var funcs: [BPFFuncInfo] = []
        var lines: [BPFLineInfo] = []
        for placement in placements {
            let range = placement.startInSection..<(placement.startInSection + placement.count)
            funcs += ext.kernelFuncInfo(section: placement.sectionName, instructions: range, placedAt: placement.start)
            lines += ext.kernelLineInfo(section: placement.sectionName, instructions: range, placedAt: placement.start)
        }
        return (funcs, lines)
    }
}
