import SwiftXDP

/// The plain-text view of `swift-xdp inspect`.
enum InspectText {
    static func render(_ object: BPFObjectFile, path: String, programs: [ProgramSpec],
                       disassembly: Bool) throws -> String {
        var out = "\(path): \(object.order == .little ? "little" : "big")-endian BPF object"
        out += object.license.map { ", license \"\($0)\"" } ?? ", no license"
        if let version = object.kernelVersion { out += ", kernel version 0x\(String(version, radix: 16))" }
        out += "\n"

        let linkedPrograms = try programs.map { try object.link($0) }
        out += "\nPrograms (\(programs.count)):\n"
        var table = TextTable()
        for (program, linked) in zip(programs, linkedPrograms) {
            var type = ObjectDescription.programType(program)
            if let attach = ObjectDescription.attachType(program), attach != type { type += "/\(attach)" }
            if program.kind?.programFlags.contains(.xdpHasFrags) == true { type += " frags" }
            let subprograms = linked.subprogramNames.isEmpty ? "" : "calls " + linked.subprogramNames.joined(separator: ", ")
            table.add([program.name, "section \(program.sectionName)", type,
                       "\(program.function.instructions.count) insns", subprograms])
        }
        out += table.rendered()

        let ordinary = object.maps.filter { $0.origin != .data }
        out += "\nMaps (\(ordinary.count)):\n"
        table = TextTable()
        for map in ordinary {
            let key = map.keySize == 0 ? "no key" : "key \(map.keySize)" + (ObjectDescription.typeName(map.keyTypeID, in: object).map { " (\($0))" } ?? "")
            let value = "value \(map.valueSize)" + (ObjectDescription.typeName(map.valueTypeID, in: object).map { " (\($0))" } ?? "")
            var extras: [String] = []
            if !map.flags.isEmpty { extras.append("flags \(map.flags)") }
            if map.pinning != .none { extras.append("pinning \(map.pinning)") }
            if map.mapExtra != 0 { extras.append("map_extra \(map.mapExtra)") }
            if let inner = map.innerMap?.spec { extras.append("inner \(inner.type) \(inner.keySize)/\(inner.valueSize)") }
            for slot in map.initialSlots {
                switch slot.target {
                case let .program(name), let .map(name): extras.append("[\(slot.index)]=\(name)")
                }
            }
            table.add([map.name, map.origin.rawValue, map.type.name, key, value, "max \(map.maxEntries)",
                       extras.joined(separator: " ")])
        }
        out += table.rendered()

        let data = object.maps.filter { $0.origin == .data }
        out += "\nGlobal data (\(data.count)):\n"
        table = TextTable()
        for map in data {
            let variables = ObjectDescription.variables(ofSection: map.sectionName, in: object)
                .map { "\($0.name)@\($0.offset)" }.joined(separator: " ")
            table.add([map.sectionName, "\(map.valueSize) bytes", map.isReadOnlyData ? "read-only, frozen" : "writable",
                       variables])
        }
        out += table.rendered()

        if !object.externs.isEmpty {
            out += "\nExterns (\(object.externs.count)):\n"
            table = TextTable()
            for extern in object.externs {
                table.add([extern.name, extern.kind.rawValue, extern.isWeak ? "weak" : "", extern.isUsed ? "used" : "unused"])
            }
            out += table.rendered()
        }

        for program in programs where !program.function.relocations.isEmpty {
            out += "\nRelocations of \(program.name):\n"
            table = TextTable()
            for relocation in program.function.relocations {
                table.add(["insn \(relocation.instruction)", ObjectDescription.kindWord(relocation.kind),
                           ObjectDescription.target(relocation, in: object),
                           relocation.elfType.map(BPFRelocationType.name) ?? "(local call)"])
            }
            out += table.rendered()
        }

        if disassembly {
            for (program, linked) in zip(programs, linkedPrograms) {
                out += "\nDisassembly of \(program.name) (\(linked.instructions.count) instructions, linked):\n"
                out += DisassemblyListing.text(linked, in: object)
            }
        }
        return out
    }
}
