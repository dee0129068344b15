/// Why a piece of shell text was not parsed. Every failure denies the command: text the
/// analyzer does not understand is never judged harmless.
struct ShellParseError: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Not valid shell, or a construct this parser deliberately does not support.
        case syntax
        /// A control character outside quotes (CR, ESC, …) or a NUL anywhere: shells and
        /// terminals disagree on these, which is how commands get smuggled past a reader.
        case controlCharacter
        /// Nesting beyond `ShellParser.maximumDepth`.
        case tooDeep
    }

    var kind: Kind
    var message: String
    /// Byte offset in the text being parsed where the problem was found.
    var offset: Int
}
