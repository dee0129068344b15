/// One word of a command line, kept as the parts the shell would expand, so the analyzer can
/// tell a word whose value is known before running (`'l''s'` is `ls`) from one whose value only
/// exists at run time (`$X`, `$(…)`, `*.swift`).
struct ShellWord: Sendable, Equatable {
    let parts: [ShellWordPart]
    /// The word after quote removal, ignoring globbing, when every part is literal text; used
    /// where the shell does not glob (here-document delimiters, `for` names).
    let literalValue: String?
    /// The word after quote removal when no part is expanded at run time, else `nil`.
    /// Unquoted glob and brace-expansion characters make a word dynamic too, because the shell
    /// replaces it with whatever file names match (or with several words). Computed once here
    /// because the analyzer asks for it many times per word.
    let staticValue: String?

    init(parts: [ShellWordPart]) {
        self.parts = parts
        var value = ""
        var isLiteral = true
        for part in parts {
            guard case .literal(let text, _) = part else {
                isLiteral = false
                break
            }
            value += text
        }
        literalValue = isLiteral ? value : nil
        staticValue = isLiteral && !Self.isPattern(parts) ? value : nil
    }

    /// Whether the word's value begins with a process substitution (`<(…)`, `>(…)`), after
    /// any empty quoted text: bash puts a `/dev/fd/N` or named-pipe path there, which never
    /// starts with `-`, so the word is an operand whatever its commands print.
    var startsWithProcessSubstitution: Bool {
        for part in parts {
            switch part {
            case .literal(let text, _) where text.isEmpty: continue
            case .substitution(let substitution):
                return substitution.kind == .processInput || substitution.kind == .processOutput
            default: return false
            }
        }
        return false
    }

    /// True when some part of the word is unquoted text: reserved words and assignments are
    /// only recognised in unquoted text.
    var isUnquotedLiteral: Bool {
        parts.count == 1 && parts[0].isUnquotedLiteral
    }

    /// Every command and process substitution nested anywhere in the word, including inside
    /// `${…}` and `$((…))`, because each one runs a command.
    var substitutions: [ShellSubstitution] {
        var found: [ShellSubstitution] = []
        for part in parts {
            switch part {
            case .substitution(let substitution): found.append(substitution)
            case .parameter(let expansion): found += expansion.operand.substitutions
            case .literal, .tilde, .arithmetic: break
            }
        }
        return found
    }

    /// How the word reads in a message: the source text is not kept, so expansions are shown
    /// in a canonical form.
    var display: String {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal, _): text += literal
            case .tilde(let user): text += "~" + user
            case .parameter(let expansion): text += "${" + expansion.name + "}"
            case .substitution(let substitution): text += substitution.kind.display
            case .arithmetic: text += "$((…))"
            }
        }
        return text
    }

    /// A word whose value only exists at run time, such as a file name put in for `{}` by
    /// `find -exec` or `xargs -I`.
    static func runtimeValue(_ name: String) -> ShellWord {
        ShellWord(parts: [.parameter(ShellParameterExpansion(name: name))])
    }

    /// Whether the shell would glob or brace-expand the word. Only unquoted characters count,
    /// and the test is deliberately loose: `[` followed anywhere later by `]`, any `*` or `?`,
    /// and `{` followed by `,` or `..` and then `}` are all treated as patterns.
    var isPattern: Bool { Self.isPattern(parts) }

    private static func isPattern(_ parts: [ShellWordPart]) -> Bool {
        var openBracket = false
        var braceState = 0
        var previousDot = false
        for part in parts {
            guard case .literal(let text, let quoted) = part else { continue }
            for byte in text.utf8 {
                if byte == UInt8(ascii: "]") && openBracket { return true }
                guard !quoted else { continue }
                switch byte {
                case UInt8(ascii: "*"), UInt8(ascii: "?"): return true
                case UInt8(ascii: "["): openBracket = true
                case UInt8(ascii: "{"): braceState = max(braceState, 1)
                case UInt8(ascii: ","): if braceState == 1 { braceState = 2 }
                case UInt8(ascii: "."): if braceState == 1 && previousDot { braceState = 2 }
                case UInt8(ascii: "}"): if braceState == 2 { return true }
                default: break
                }
                previousDot = byte == UInt8(ascii: ".")
            }
        }
        return false
    }
}

/// A piece of a word with uniform expansion behaviour.
enum ShellWordPart: Sendable, Equatable {
    /// Text after quote removal; `quoted` text is never globbed or split.
    case literal(String, quoted: Bool)
    /// `~` or `~user` at the start of a word: a home directory known only at run time.
    case tilde(String)
    /// `$name`, `${name…}`, `$1`, `$@`, …
    case parameter(ShellParameterExpansion)
    /// `$(…)`, `` `…` ``, `<(…)` or `>(…)`.
    case substitution(ShellSubstitution)
    /// `$((…))`.
    case arithmetic(ShellArithmetic)

    var isUnquotedLiteral: Bool {
        if case .literal(_, let quoted) = self { return !quoted }
        return false
    }
}

/// A parameter expansion. Only what the analyzer needs is kept: the name for messages, the
/// word after the operator (`${x:-word}`), whose expansions run too, and whether bash would
/// evaluate some text in it as code. That happens with `${x@P}` (prompt expansion runs command
/// substitutions), `${!x}` (indirection through a name with a subscript), and array
/// subscripts or `${x:offset:length}` that are not plain numbers, because arithmetic on a
/// variable whose value is `a[$(cmd)]` runs `cmd`.
struct ShellParameterExpansion: Sendable, Equatable {
    var name: String
    var operand: ShellWord
    var evaluatesText: Bool
    /// `${name=word}` or `${name:=word}`: the expansion assigns the variable, which is judged
    /// like any other assignment.
    var assigns: Bool

    init(name: String, operand: ShellWord = ShellWord(parts: []), evaluatesText: Bool = false, assigns: Bool = false) {
        self.name = name
        self.operand = operand
        self.evaluatesText = evaluatesText
        self.assigns = assigns
    }
}

/// An arithmetic expansion, kept as raw text. Bash evaluates variable values inside it as
/// expressions, and an array subscript in such a value runs command substitutions, so the
/// analyzer only accepts arithmetic made of numbers and operators; anything richer (names,
/// `$`, quotes, nested substitutions) is denied without being parsed further.
struct ShellArithmetic: Sendable, Equatable {
    var text: String

    /// Whether `text` holds only digits, blanks and operators: nothing bash could look up
    /// and evaluate.
    var isPlain: Bool { Self.isPlain(text.utf8) }

    static func isPlain(_ text: some Collection<UInt8>) -> Bool {
        text.allSatisfy { byte in
            ShellParser.isDigit(byte) || ShellParser.isBlank(byte) || byte == 0x0A || plainOperators.contains(byte)
        }
    }

    private static let plainOperators: Set<UInt8> = Set("+-*/%()<>=!&|^~?:,".utf8)
}

/// A command list that runs while a word is expanded.
struct ShellSubstitution: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case command, backquote, processInput, processOutput

        var display: String {
            switch self {
            case .command: "$(…)"
            case .backquote: "`…`"
            case .processInput: "<(…)"
            case .processOutput: ">(…)"
            }
        }
    }

    var kind: Kind
    var body: ShellScript
}
