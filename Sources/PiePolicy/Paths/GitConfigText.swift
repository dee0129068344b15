/// Reads the entries of a git configuration file (git-config(1), "CONFIGURATION FILE"), enough to
/// find `core.hooksPath` and includes the way git finds them: section and key names are
/// case-insensitive, a key may follow its `[section]` on the same line, values may be quoted, use
/// `\"`, `\\`, `\n`, `\t`, `\b` escapes and continue over a backslash-newline, and `#` or `;`
/// start a comment outside quotes. A subsection (`[includeIf "gitdir:…"]`, or the old
/// `[section.sub]`) is kept apart from the section name, so `[core "x"] hooksPath` is not
/// `core.hooksPath`. A key without `=` (a boolean) has no path and is skipped.
struct GitConfigText {
    struct Entry: Equatable {
        /// Lowercased section name.
        var section: String
        /// The subsection as written, or nil.
        var subsection: String?
        /// Lowercased key.
        var key: String
        var value: String
    }

    private let bytes: [UInt8]
    private var index = 0

    static func entries(_ text: String) -> [Entry] {
        var reader = GitConfigText(bytes: Array(text.utf8))
        return reader.readEntries()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == UInt8(ascii: "-")
    }

    private mutating func readEntries() -> [Entry] {
        var entries: [Entry] = []
        var section = ""
        var subsection: String?
        while let byte = peek() {
            if Self.isBlank(byte) || byte == 0x0A {
                index += 1
            } else if byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";") {
                skipLine()
            } else if byte == UInt8(ascii: "[") {
                guard let header = readHeader() else {
                    skipLine()
                    section = ""
                    subsection = nil
                    continue
                }
                (section, subsection) = header
            } else if Self.isNameByte(byte) {
                let key = readName()
                while let next = peek(), Self.isBlank(next) { index += 1 }
                guard peek() == UInt8(ascii: "=") else {
                    skipLine()
                    continue
                }
                index += 1
                entries.append(Entry(section: section, subsection: subsection, key: key, value: readValue()))
            } else {
                skipLine()
            }
        }
        return entries
    }

    /// `[name]`, `[name "sub"]` or `[name.sub]`; leaves the index after `]`.
    private mutating func readHeader() -> (String, String?)? {
        index += 1
        var name: [UInt8] = []
        while let byte = peek(), Self.isNameByte(byte) || byte == UInt8(ascii: ".") {
            name.append(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0))
            index += 1
        }
        var subsection: String?
        if let dot = name.firstIndex(of: UInt8(ascii: ".")) {
            subsection = String(decoding: name[(dot + 1)...], as: UTF8.self)
            name = Array(name[..<dot])
        }
        while let byte = peek(), Self.isBlank(byte) { index += 1 }
        if peek() == UInt8(ascii: "\"") {
            index += 1
            var sub: [UInt8] = []
            while let byte = peek(), byte != UInt8(ascii: "\""), byte != 0x0A {
                if byte == UInt8(ascii: "\\") { index += 1 }
                if let escaped = peek() { sub.append(escaped) }
                index += 1
            }
            guard peek() == UInt8(ascii: "\"") else { return nil }
            index += 1
            subsection = String(decoding: sub, as: UTF8.self)
        }
        guard peek() == UInt8(ascii: "]"), !name.isEmpty else { return nil }
        index += 1
        return (String(decoding: name, as: UTF8.self), subsection)
    }

    private mutating func readName() -> String {
        var name: [UInt8] = []
        while let byte = peek(), Self.isNameByte(byte) {
            name.append(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0))
            index += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// The value after `=` to the end of its (possibly continued) line.
    private mutating func readValue() -> String {
        var value: [UInt8] = []
        var quoted = false
        var pendingBlanks: [UInt8] = []
        while let byte = peek(), Self.isBlank(byte) { index += 1 }
        while let byte = peek() {
            if byte == 0x0A { break }
            index += 1
            if !quoted, byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";") {
                skipLine()
                break
            }
            if !quoted, Self.isBlank(byte) {
                pendingBlanks.append(byte)
                continue
            }
            value += pendingBlanks
            pendingBlanks = []
            switch byte {
            case UInt8(ascii: "\""):
                quoted.toggle()
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { break }
                index += 1
                switch escaped {
                case 0x0A: break
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "b"): value.append(0x08)
                default: value.append(escaped)
                }
            default:
                value.append(byte)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    private mutating func skipLine() {
        while let byte = peek(), byte != 0x0A { index += 1 }
    }
}
