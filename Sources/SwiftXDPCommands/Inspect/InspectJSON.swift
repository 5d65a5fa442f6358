import SwiftXDP

/// The `--json` document of `swift-xdp inspect` (documented in README.md, "inspect --json").
///
/// Top level: `object`, `byteOrder`, `license`, `kernelVersion`, `programs`, `maps`,
/// `globalData`, `externs`, `subprograms`. Every program and map entry has a `name`.
enum InspectJSON {
    static func document(_ object: BPFObjectFile, path: String, programs: [ProgramSpec],
                         disassembly: Bool) throws -> JSONValue {
        .object([
            ("object", .string(path)),
            ("byteOrder", .string(object.order.rawValue)),
            ("license", .optional(object.license)),
            ("kernelVersion", object.kernelVersion.map(JSONValue.number) ?? .null),
            ("programs", .array(try programs.map { try program($0, in: object, disassembly: disassembly) })),
            ("maps", .array(object.maps.map { map($0, in: object) })),
            ("globalData", .array(object.maps.filter { $0.origin == .data }.map { globalData($0, in: object) })),
            ("externs", .array(object.externs.map(externEntry))),
            ("subprograms", .array(object.subprograms.map { function in
                .object([("name", .string(function.name)), ("section", .string(function.sectionName)),
                         ("instructions", .number(function.instructions.count)),
                         ("global", .bool(function.isGlobal))])
            })),
        ])
    }

    static func program(_ program: ProgramSpec, in object: BPFObjectFile, disassembly: Bool) throws -> JSONValue {
        let linked = try object.link(program)
        var members: [(String, JSONValue)] = [
            ("name", .string(program.name)),
            ("section", .string(program.sectionName)),
            ("type", .string(ObjectDescription.programType(program))),
            ("expectedAttachType", .optional(ObjectDescription.attachType(program))),
            ("flags", .number(program.kind?.programFlags.rawValue ?? 0)),
            ("instructions", .number(program.function.instructions.count)),
            ("linkedInstructions", .number(linked.instructions.count)),
            ("subprograms", .array(linked.subprogramNames.map(JSONValue.string))),
            ("relocations", .array(program.function.relocations.map { relocation in
                .object([
                    ("instruction", .number(relocation.instruction)),
                    ("kind", .string(ObjectDescription.kindWord(relocation.kind))),
                    ("target", .string(ObjectDescription.target(relocation, in: object))),
                    ("symbol", .string(relocation.symbol)),
                ])
            })),
        ]
        if disassembly {
            members.append(("disassembly", .array(DisassemblyListing.lines(linked, in: object).map { line in
                var entry: [(String, JSONValue)] = [("index", .number(line.index)), ("text", .string(line.text))]
                if let source = line.source {
                    entry.append(("source", .string(source.text)))
                    entry.append(("line", .string("\(source.file):\(source.line)")))
                }
                return .object(entry)
            })))
        }
        return .object(members)
    }

    static func map(_ map: MapSpec, in object: BPFObjectFile) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(map.name)),
            ("kind", .string(map.origin.rawValue)),
            ("section", .string(map.sectionName)),
            ("type", .string(map.type.name)),
            ("keySize", .number(map.keySize)),
            ("valueSize", .number(map.valueSize)),
            ("keyType", .optional(ObjectDescription.typeName(map.keyTypeID, in: object))),
            ("valueType", .optional(ObjectDescription.typeName(map.valueTypeID, in: object))),
            ("maxEntries", .number(map.maxEntries)),
            ("flags", .number(map.flags.rawValue)),
            ("flagNames", .string(map.flags.description)),
            ("pinning", .string(map.pinning.description)),
            ("numaNode", .number(map.numaNode)),
            ("mapExtra", .number(map.mapExtra)),
        ]
        if let inner = map.innerMap?.spec {
            members.append(("innerMap", self.map(inner, in: object)))
        }
        if !map.initialSlots.isEmpty {
            members.append(("initialSlots", .array(map.initialSlots.map { slot in
                switch slot.target {
                case let .program(name): .object([("index", .number(slot.index)), ("program", .string(name))])
                case let .map(name): .object([("index", .number(slot.index)), ("map", .string(name))])
                }
            })))
        }
        return .object(members)
    }

    static func globalData(_ map: MapSpec, in object: BPFObjectFile) -> JSONValue {
        .object([
            ("section", .string(map.sectionName)),
            ("size", .number(map.valueSize)),
            ("readOnly", .bool(map.isReadOnlyData)),
            ("variables", .array(ObjectDescription.variables(ofSection: map.sectionName, in: object).map { variable in
                .object([("name", .string(variable.name)), ("offset", .number(variable.offset)),
                         ("size", .number(variable.size))])
            })),
        ])
    }

    static func externEntry(_ extern: ExternSpec) -> JSONValue {
        .object([("name", .string(extern.name)), ("kind", .string(extern.kind.rawValue)),
                 ("weak", .bool(extern.isWeak)), ("used", .bool(extern.isUsed))])
    }
}
