/// The options of one exec rule, by spelling, for lookups that cost one hash per argument.
/// Built once when the rule is made, never while judging.
struct ExecOptionTable: Sendable, Equatable {
    /// What a listed option does with its value.
    enum Kind: Sendable, Equatable {
        case flag, value, optionalValue, script, exec, write, targetDirectory, inPlace, unknownWrite, denied
        /// Takes a value and ends the options: every later word is an operand (`python3 -c CMD`).
        case terminating

        /// Whether the option's value may be the next word (not only attached).
        var takesSeparateValue: Bool {
            switch self {
            case .value, .script, .write, .targetDirectory, .terminating: true
            case .flag, .optionalValue, .exec, .inPlace, .unknownWrite, .denied: false
            }
        }
    }

    /// Every listed spelling (`-o`, `--output`, `-name`).
    private var kinds: [String: Kind] = [:]
    /// One-letter options (`-o`) by their letter, for reading clusters without building strings.
    private(set) var shortKinds: [UInt8: Kind] = [:]
    /// Listed spellings that start with `--`, for finding what an abbreviation stands for.
    private(set) var longNames: [String] = []
    /// The options that may be given, as quoted in a denial: `-F, -v, --`.
    private(set) var allowedSummary = "--"
    /// Whether every listed option is a flag: then a word can only be a harmless flag or an
    /// operand, whatever it turns out to be.
    private(set) var onlyFlags = true

    init() {}

    /// `lists` in order of precedence: a spelling in two lists keeps the first kind, so a
    /// denied option stays denied.
    init(lists: [(Kind, [String])]) {
        var allowed: [String] = []
        for (kind, list) in lists {
            for option in list where kinds[option] == nil {
                kinds[option] = kind
                let bytes = Array(option.utf8)
                if bytes.count == 2 && bytes[0] == UInt8(ascii: "-") && bytes[1] != UInt8(ascii: "-") {
                    shortKinds[bytes[1]] = kind
                }
                if OptionBytes.startsWithDoubleDash(option) { longNames.append(option) }
                if kind != .denied && kind != .unknownWrite { allowed.append(option) }
                if kind != .flag { onlyFlags = false }
            }
        }
        allowed.append("--")
        allowedSummary = allowed.joined(separator: ", ")
    }

    /// The listed long options that `name` (at least one letter after `--`) is a prefix of.
    func longOptions(abbreviatedBy name: String) -> [String] {
        guard name.utf8.count > 2 else { return [] }
        return longNames.filter { OptionBytes.hasPrefix($0, name) }
    }

    /// What the listed option spelled exactly `word` does; `nil` when no list has it. A word
    /// that is not ASCII is never listed: only then do `String`'s equality and the bytes agree.
    func kind(of word: String) -> Kind? {
        guard OptionBytes.isASCII(word) else { return nil }
        return kinds[word]
    }
}
