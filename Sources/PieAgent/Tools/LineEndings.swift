/// A file's BOM and line-ending style, kept aside while editing in LF and restored on write.
struct LineEndings {
    /// The content without BOM, with every `\r\n` and lone `\r` turned into `\n`.
    let text: String
    let hasBOM: Bool
    /// pi's `detectLineEnding`: CRLF when the first `\n` is preceded by `\r`.
    let usesCRLF: Bool

    init(_ raw: String) {
        var body = Substring(raw)
        hasBOM = body.unicodeScalars.first == "\u{FEFF}"
        if hasBOM { body = Substring(body.unicodeScalars.dropFirst()) }
        let scalars = Array(body.unicodeScalars)
        if let newline = scalars.firstIndex(of: "\n") {
            usesCRLF = newline > 0 && scalars[newline - 1] == "\r"
        } else {
            usesCRLF = false
        }
        text = Self.toLF(String(body))
    }

    static func toLF(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                view.append("\n")
                previousCR = true
                continue
            }
            if !(scalar == "\n" && previousCR) { view.append(scalar) }
            previousCR = false
        }
        return String(view)
    }

    func restore(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        if hasBOM { view.append("\u{FEFF}") }
        for scalar in text.unicodeScalars {
            if usesCRLF && scalar == "\n" { view.append("\r") }
            view.append(scalar)
        }
        return String(view)
    }
}
