/// The start-up fast path for the two commands scripts run most: `load` and `unload`.
///
/// swift-argument-parser builds its picture of a command at run time: it reflects over every
/// property of every command it visits (`Mirror`), instantiates generic type metadata from
/// mangled names and looks up protocol conformances, which on Linux means scanning every
/// conformance record in the binary. For `swift-xdp load OBJ --dev IF` that was about 85% of
/// the process's user-space instructions (valgrind --tool=callgrind), more than the load.
///
/// This parser recognises only plain, valid command lines of `load` and `unload`: known
/// long options, each at most once, as `--name value` or `--name=value`, and for `load` one
/// positional object path. Anything else — help, an unknown or repeated option, `--`, a value
/// that looks like an option, an invalid `--mode`, a combination ``LoadRequest/validate()``
/// refuses, any other command — returns nil, and swift-argument-parser parses the command
/// line as before and prints its usual help and errors. The command tree, the help text and
/// every error message stay swift-argument-parser's. `QuickCommandLineTests` checks that
/// each accepted command line gives the same request as swift-argument-parser and that the
/// options known here are exactly those the commands declare.
enum QuickCommandLine {
    /// A command line this parser understood.
    enum Parsed: Equatable {
        case load(LoadRequest)
        case unload(UnloadRequest)
    }

    /// Parses `arguments` (without the program name), or returns nil to leave them to
    /// swift-argument-parser.
    ///
    /// Written with `switch` over strings and plain optionals, not with sets or dictionaries:
    /// the first use of a generic type in a process costs a run-time metadata lookup, which is
    /// what this parser is here to avoid.
    static func parse(_ arguments: [String]) -> Parsed? {
        guard let command = arguments.first else { return nil }
        var words = Words(arguments.dropFirst())
        switch command {
        case "load":
            var object: String?
            var device: String?, mode: String?, program: String?, link: String?, pin: String?
            var force = false, replace = false, explain = false
            while let word = words.next() {
                switch word {
                case let .positional(value):
                    guard object == nil else { return nil }
                    object = value
                case let .option(name, inlineValue):
                    switch name {
                    case "dev": guard words.value(inlineValue, into: &device) else { return nil }
                    case "mode": guard words.value(inlineValue, into: &mode) else { return nil }
                    case "program": guard words.value(inlineValue, into: &program) else { return nil }
                    case "link": guard words.value(inlineValue, into: &link) else { return nil }
                    case "pin": guard words.value(inlineValue, into: &pin) else { return nil }
                    case "force": guard Words.flag(inlineValue, into: &force) else { return nil }
                    case "replace": guard Words.flag(inlineValue, into: &replace) else { return nil }
                    case "explain": guard Words.flag(inlineValue, into: &explain) else { return nil }
                    default: return nil  // --help, --version, unknown options
                    }
                }
            }
            guard !words.refused, let object, let attachMode = Self.mode(mode) else { return nil }
            let request = LoadRequest(object: object, device: device, mode: attachMode, program: program, force: force,
                                      replace: replace, link: link, pin: pin, explain: explain)
            guard (try? request.validate()) != nil else { return nil }
            return .load(request)
        case "unload":
            var device: String?, mode: String?, link: String?
            var explain = false
            while let word = words.next() {
                guard case let .option(name, inlineValue) = word else { return nil }
                switch name {
                case "dev": guard words.value(inlineValue, into: &device) else { return nil }
                case "mode": guard words.value(inlineValue, into: &mode) else { return nil }
                case "link": guard words.value(inlineValue, into: &link) else { return nil }
                case "explain": guard Words.flag(inlineValue, into: &explain) else { return nil }
                default: return nil
                }
            }
            guard !words.refused, let device, let attachMode = Self.mode(mode) else { return nil }
            return .unload(UnloadRequest(device: device, mode: attachMode, link: link, explain: explain))
        default:
            return nil
        }
    }

    /// `--mode`: absent is `auto`; an unknown value is nil (swift-argument-parser reports it).
    static func mode(_ value: String?) -> AttachModeArgument? {
        guard let value else { return .auto }
        return AttachModeArgument(rawValue: value)
    }

    /// One word of a command line.
    enum Word {
        /// A positional argument.
        case positional(String)
        /// `--name` or `--name=value`.
        case option(name: Substring, inlineValue: Substring?)
    }

    /// The words of a command line, read one at a time; nil at the first word this parser
    /// leaves to swift-argument-parser.
    struct Words {
        var rest: ArraySlice<String>
        /// Set when a word could not be read: the whole command line goes to swift-argument-parser.
        var refused = false

        init(_ arguments: ArraySlice<String>) { rest = arguments }

        /// The next word, or nil at the end (or when ``refused``).
        mutating func next() -> Word? {
            guard !refused, let argument = rest.popFirst() else { return nil }
            guard argument.hasPrefix("-") else {
                // `help` is also a command name: leave it to swift-argument-parser.
                guard Self.isPlainValue(argument) else { return refuse() }
                return .positional(argument)
            }
            // Short options, a lone `-` and the `--` terminator.
            guard argument.hasPrefix("--"), argument.utf8.count > 2 else { return refuse() }
            let body = argument.dropFirst(2)
            guard let equals = body.firstIndex(of: "=") else { return .option(name: body, inlineValue: nil) }
            return .option(name: body[..<equals], inlineValue: body[body.index(after: equals)...])
        }

        private mutating func refuse() -> Word? {
            refused = true
            return nil
        }

        /// Stores an option's value (inline, or the next word) in `slot`; false if the option
        /// came twice or its value is missing or not plain.
        mutating func value(_ inlineValue: Substring?, into slot: inout String?) -> Bool {
            guard slot == nil else { return false }
            let value = inlineValue.map(String.init) ?? rest.popFirst()
            guard let value, Self.isPlainValue(value) else { return false }
            slot = value
            return true
        }

        /// Sets a flag; false if it came twice or with `=value`.
        static func flag(_ inlineValue: Substring?, into flag: inout Bool) -> Bool {
            guard inlineValue == nil, !flag else { return false }
            flag = true
            return true
        }

        /// A value swift-argument-parser takes as it is: not empty, not option-like, not `help`.
        static func isPlainValue(_ value: String) -> Bool {
            !value.isEmpty && !value.hasPrefix("-") && value != "help"
        }
    }
}
