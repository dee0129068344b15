/// A JSON value with keys kept in insertion order, for output whose key order must be stable
/// (`--print-tool-policy`, `pie policy explain --json`) without Foundation's encoder.
public indirect enum OrderedJSON: Sendable, Equatable {
    case object([(String, OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case integer(Int)
    /// A finite number with a fraction (an automation's `max_cost`), in Swift's shortest
    /// round-tripping spelling.
    case decimal(Double)
    case boolean(Bool)
    case null

    public static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.rendered(pretty: false) == rhs.rendered(pretty: false)
    }

    /// Renders the value; `pretty` indents by two spaces, one member per line.
    public func rendered(pretty: Bool) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .string(let text): OrderedJSON.escape(text, into: &out)
        case .integer(let number): out += String(number)
        case .decimal(let number): out += number.isFinite ? String(number) : "null"
        case .boolean(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                OrderedJSON.escape(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out += "}"
        }
    }

    private func newline(_ out: inout String, _ indent: Int) {
        out += "\n" + String(repeating: "  ", count: indent)
    }

    /// Escapes per RFC 8259: quotes, backslash and every control character, plus U+2028/U+2029
    /// so a line is also safe to embed in JavaScript. The one string escaper of pie's JSON writers.
    /// Text between escapes is appended a run at a time (a UTF-8 copy) rather than scalar by scalar.
    public static func escape(_ text: String, into out: inout String) {
        out += "\""
        let scalars = text.unicodeScalars
        var runStart = scalars.startIndex
        for index in scalars.indices {
            let scalar = scalars[index]
            let replacement: String
            switch scalar {
            case "\"": replacement = "\\\""
            case "\\": replacement = "\\\\"
            case "\n": replacement = "\\n"
            case "\r": replacement = "\\r"
            case "\t": replacement = "\\t"
            case "\u{2028}": replacement = "\\u2028"
            case "\u{2029}": replacement = "\\u2029"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                replacement = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: continue
            }
            out += Substring(scalars[runStart..<index])
            out += replacement
            runStart = scalars.index(after: index)
        }
        out += Substring(scalars[runStart...])
        out += "\""
    }
}
