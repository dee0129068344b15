/// Finds the commands of a sed script, so that a profile can deny the ones that run programs
/// (`e`, and the `e` flag of `s`) or write files (`w`, `W`, the `w` flag of `s`). Reading the
/// script properly matters: a letter inside a regex, a replacement or an `a` text is not a
/// command, and a command can hide after an address, a `!`, a `;` or a `{`.
struct SedScript {
    /// One command: its letter, and for `s` its flags.
    struct Command: Equatable {
        var letter: Character
        var substituteFlags: [Character]
    }

    private let bytes: [UInt8]
    private var index = 0

    /// The commands of `text`, or `nil` when the script cannot be read (an unknown command or
    /// an unterminated regex), which the caller denies.
    static func commands(in text: String) -> [Command]? {
        var script = SedScript(bytes: Array(text.utf8))
        return script.readCommands()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func readCommands() -> [Command]? {
        var commands: [Command] = []
        while true {
            skip { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == UInt8(ascii: ";") }
            guard let byte = peek() else { return commands }
            if byte == UInt8(ascii: "#") {
                skipToLineEnd()
                continue
            }
            guard readAddress() else { return nil }
            skip { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "!") }
            guard let letter = peek() else { return nil }
            index += 1
            switch letter {
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "="), UInt8(ascii: "d"), UInt8(ascii: "D"),
                UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "n"),
                UInt8(ascii: "N"), UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "x"), UInt8(ascii: "z"),
                UInt8(ascii: "F"):
                commands.append(Command(letter: Character(Unicode.Scalar(letter)), substituteFlags: []))
            case UInt8(ascii: "q"), UInt8(ascii: "Q"), UInt8(ascii: "l"), UInt8(ascii: "L"):
                skip { $0 == 0x20 || ShellParser.isDigit($0) }
                commands.append(Command(letter: Character(Unicode.Scalar(letter)), substituteFlags: []))
            case UInt8(ascii: ":"), UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "v"):
                // GNU sed ends a label at a blank as well as at `;` or a newline, and reads what
                // follows as the next command (`:x e id` runs `id`), so only the label is skipped.
                skip { $0 == 0x20 || $0 == 0x09 }
                skip { $0 != 0x0A && $0 != UInt8(ascii: ";") && $0 != 0x20 && $0 != 0x09 }
                commands.append(Command(letter: Character(Unicode.Scalar(letter)), substituteFlags: []))
            case UInt8(ascii: "a"), UInt8(ascii: "i"), UInt8(ascii: "c"):
                skipText()
                commands.append(Command(letter: Character(Unicode.Scalar(letter)), substituteFlags: []))
            case UInt8(ascii: "r"), UInt8(ascii: "R"), UInt8(ascii: "w"), UInt8(ascii: "W"), UInt8(ascii: "e"):
                skipToLineEnd()
                commands.append(Command(letter: Character(Unicode.Scalar(letter)), substituteFlags: []))
            case UInt8(ascii: "s"):
                guard let flags = readSubstitute() else { return nil }
                commands.append(Command(letter: "s", substituteFlags: flags))
            case UInt8(ascii: "y"):
                guard let delimiter = peek() else { return nil }
                index += 1
                guard readDelimited(delimiter), readDelimited(delimiter) else { return nil }
                commands.append(Command(letter: "y", substituteFlags: []))
            default:
                return nil
            }
        }
    }

    /// Skips zero, one or two addresses (`1`, `$`, `/re/`, `\cREc`, `first~step`, `addr,+N`).
    private mutating func readAddress() -> Bool {
        for part in 0..<2 {
            if part == 1 {
                guard peek() == UInt8(ascii: ",") else { return true }
                index += 1
                skip { $0 == 0x20 }
            }
            guard let byte = peek() else { return true }
            if ShellParser.isDigit(byte) || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "~")
            {
                index += 1
                skip { ShellParser.isDigit($0) || $0 == UInt8(ascii: "~") }
            } else if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") {
                if byte == UInt8(ascii: "\\") { index += 1 }
                guard let delimiter = peek() else { return false }
                index += 1
                guard readDelimited(delimiter) else { return false }
                skip { $0 == UInt8(ascii: "I") || $0 == UInt8(ascii: "M") }
            }
        }
        return true
    }

    /// Reads the regex, replacement and flags of `s` after the letter; returns the flags.
    private mutating func readSubstitute() -> [Character]? {
        guard let delimiter = peek(), delimiter != 0x0A, delimiter != UInt8(ascii: "\\") else { return nil }
        index += 1
        guard readDelimited(delimiter), readDelimited(delimiter) else { return nil }
        var flags: [Character] = []
        while let byte = peek(), byte != 0x0A, byte != UInt8(ascii: ";"), byte != UInt8(ascii: "}") {
            index += 1
            if byte == 0x20 || byte == 0x09 { continue }
            flags.append(Character(Unicode.Scalar(byte)))
            if byte == UInt8(ascii: "w") {
                skipToLineEnd()
                break
            }
        }
        return flags
    }

    /// Skips up to and including the next unescaped `delimiter`. Like GNU sed, a backslash
    /// escapes the next byte and brackets are not special, so `s/[/]/x/` ends its regex at
    /// the first `/` here too.
    private mutating func readDelimited(_ delimiter: UInt8) -> Bool {
        while let byte = peek() {
            index += 1
            if byte == UInt8(ascii: "\\") {
                index += 1
            } else if byte == delimiter {
                return true
            }
        }
        return false
    }

    private mutating func skip(while predicate: (UInt8) -> Bool) {
        while let byte = peek(), predicate(byte) { index += 1 }
    }

    /// Skips the text of `a`, `i` or `c`: to the end of the line, and on through every line
    /// that ends in a backslash (`a\` puts the text on the next line).
    private mutating func skipText() {
        while index < bytes.count {
            var escaped = false
            while let byte = peek(), byte != 0x0A {
                escaped = byte == UInt8(ascii: "\\") ? !escaped : false
                index += 1
            }
            guard escaped else { return }
            index += 1
        }
    }

    private mutating func skipToLineEnd() {
        skip { $0 != 0x0A }
    }
}
