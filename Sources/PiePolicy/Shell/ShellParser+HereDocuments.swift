/// Here-document bodies. The shell reads them line by line after the newline that ends the
/// command naming them; a body whose delimiter was unquoted expands `$…` and backquotes like
/// double-quoted text, so its substitutions run and must be judged.
extension ShellParser {
    mutating func readPendingHereDocuments() throws(ShellParseError) {
        let pending = pendingHereDocuments
        pendingHereDocuments.removeAll()
        for document in pending {
            var body: [UInt8] = []
            var terminated = false
            while index < bytes.count {
                var lineEnd = index
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                var lineStart = index
                if document.stripsTabs {
                    while lineStart < lineEnd, bytes[lineStart] == 0x09 { lineStart += 1 }
                }
                let line = bytes[lineStart..<lineEnd]
                index = min(lineEnd + 1, bytes.count)
                if line.elementsEqual(document.delimiter) {
                    terminated = true
                    break
                }
                if let control = line.first(where: { $0 == 0 || Self.isForbiddenControl($0) }) {
                    throw controlCharacter(control)
                }
                body += line
                body.append(UInt8(ascii: "\n"))
            }
            guard terminated else {
                throw syntax("here-document is not terminated by '\(String(decoding: document.delimiter, as: UTF8.self))'")
            }
            hereDocuments.append(try expandedBody(body, expands: document.expands))
        }
    }

    /// The body as a word: literal text, or parsed for expansions when the delimiter was
    /// unquoted. Expansions are parsed by a parser of their own over the body's bytes.
    func expandedBody(_ body: [UInt8], expands: Bool) throws(ShellParseError) -> ShellWord {
        guard expands else {
            return ShellWord(parts: [.literal(String(decoding: body, as: UTF8.self), quoted: true)])
        }
        var parser = ShellParser(bytes: body, depth: depth + 1)
        var builder = WordBuilder()
        try parser.readDoubleQuoted(into: &builder, terminator: nil)
        var word = builder.finish()
        for nested in parser.hereDocuments {
            word.parts += nested.substitutions.map { .substitution($0) }
        }
        return word
    }
}
