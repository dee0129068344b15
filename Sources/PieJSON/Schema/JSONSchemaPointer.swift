/// JSON Pointer (RFC 6901) as a URI fragment (`#/$defs/Item`): how schema locations are named in
/// refusals and how local `$ref`s are read.
enum JSONSchemaPointer {
    /// `~` → `~0`, `/` → `~1`.
    static func escape(_ token: String) -> String {
        var escaped = ""
        for scalar in token.unicodeScalars {
            switch scalar {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    static func fragment(_ components: [String]) -> String {
        "#" + components.map { "/" + escape($0) }.joined()
    }

    /// The unescaped tokens of `#/a/b`: percent-decoded (it is a URI fragment), then `~1` and
    /// `~0` undone in that order. Nil for a malformed escape.
    static func components(ofFragment fragment: String) -> [String]? {
        guard let decoded = percentDecoded(fragment.dropFirst()) else { return nil }
        guard !decoded.isEmpty else { return [] }
        var tokens: [String] = []
        for raw in decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            var token = ""
            var iterator = raw.unicodeScalars.makeIterator()
            while let scalar = iterator.next() {
                guard scalar == "~" else {
                    token.unicodeScalars.append(scalar)
                    continue
                }
                switch iterator.next() {
                case "0": token += "~"
                case "1": token += "/"
                default: return nil
                }
            }
            tokens.append(token)
        }
        return tokens
    }

    /// The member or item `token` names in `value`, if there is one.
    static func child(of value: JSONValue, _ token: String) -> JSONValue? {
        switch value {
        case .object(let object):
            return object[token]
        case .array(let elements):
            guard let index = arrayIndex(token), elements.indices.contains(index) else { return nil }
            return elements[index]
        default:
            return nil
        }
    }

    /// `0` or digits without a leading zero.
    private static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token == "0" || !token.hasPrefix("0"),
              token.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), token.utf8.count < 10
        else { return nil }
        return Int(token)
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
