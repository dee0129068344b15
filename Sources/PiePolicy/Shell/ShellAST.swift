/// The syntax tree of a command line, close to the POSIX shell grammar: a list of and-or lists,
/// each a chain of pipelines, each a chain of commands. Every command the shell would run is
/// reachable from the root, which is what lets the analyzer judge all of them.
struct ShellList: Sendable, Equatable {
    var items: [ShellListItem]

    init(items: [ShellListItem] = []) {
        self.items = items
    }
}

/// An and-or list and whether it ends with `&` (runs in the background).
struct ShellListItem: Sendable, Equatable {
    var andOr: ShellAndOr
    var isBackground: Bool
}

/// Pipelines joined by `&&` and `||`. Which operator joins them does not change which commands
/// may run, so only the pipelines are kept.
struct ShellAndOr: Sendable, Equatable {
    var pipelines: [ShellPipeline]
}

/// Commands joined by `|` or `|&`, optionally negated with `!`.
struct ShellPipeline: Sendable, Equatable {
    var commands: [ShellCommand]
}

/// One command of a pipeline.
indirect enum ShellCommand: Sendable, Equatable {
    case simple(ShellSimpleCommand)
    /// `( list )`, `{ list; }`, `if`, `while`/`until`, `for` and `case`, with the redirections
    /// written after them.
    case compound(ShellCompoundCommand, redirections: [ShellRedirection])
    /// `name() body` or `function name body`.
    case functionDefinition(name: String, body: ShellCommand)
}

/// A command with assignments, words and redirections in any order, as the shell allows.
struct ShellSimpleCommand: Sendable, Equatable {
    var assignments: [ShellAssignment] = []
    var words: [ShellWord] = []
    var redirections: [ShellRedirection] = []

    var isEmpty: Bool { assignments.isEmpty && words.isEmpty && redirections.isEmpty }
}

/// `NAME=value` (or bash `NAME+=value`) before the command name.
struct ShellAssignment: Sendable, Equatable {
    var name: String
    var value: ShellWord
}

/// The compound commands. Their conditions and bodies are lists judged like any other list.
enum ShellCompoundCommand: Sendable, Equatable {
    case subshell(ShellList)
    case braceGroup(ShellList)
    /// `if`/`elif` branches in order, then the `else` body if any.
    case ifClause(branches: [ShellIfBranch], elseBody: ShellList?)
    /// `while` and `until` loops.
    case loop(condition: ShellList, body: ShellList)
    case forLoop(variable: String, words: [ShellWord], body: ShellList)
    case caseClause(subject: ShellWord, items: [ShellCaseItem])

}

/// One `if` or `elif` condition with the body it guards.
struct ShellIfBranch: Sendable, Equatable {
    var condition: ShellList
    var body: ShellList
}

/// One `pattern | pattern ) list ;;` arm of a `case`.
struct ShellCaseItem: Sendable, Equatable {
    var patterns: [ShellWord]
    var body: ShellList
}

/// A redirection. `target` is the file word, the here-document body, or the fd of a dup.
struct ShellRedirection: Sendable, Equatable {
    enum Operator: String, Sendable, Equatable {
        case input = "<"
        case output = ">"
        case append = ">>"
        case clobber = ">|"
        case readWrite = "<>"
        case duplicateInput = "<&"
        case duplicateOutput = ">&"
        case outputAndError = "&>"
        case appendOutputAndError = "&>>"
        case hereDocument = "<<"
        case hereString = "<<<"

        /// Whether the target is opened for writing, so it must lie where writes are allowed.
        /// `>&` is decided by the analyzer: with a file word instead of an fd it writes too.
        var writes: Bool {
            switch self {
            case .output, .append, .clobber, .readWrite, .outputAndError, .appendOutputAndError: true
            case .input, .duplicateInput, .duplicateOutput, .hereDocument, .hereString: false
            }
        }
    }

    var fileDescriptor: Int?
    var op: Operator
    var target: ShellWord
}
