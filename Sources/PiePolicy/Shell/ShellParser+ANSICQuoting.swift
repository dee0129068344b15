/// Bash `$'…'` quoting. The escapes are decoded because the decoded text is what the shell
/// runs: `$'\x72m'` is the command `rm` and must be judged as such.
extension ShellParser {
    mutating func readANSICQuoted(into builder: inout WordBuilder) throws(ShellParseError) {
        builder.markQuoted()
        var decoded: [UInt8] = []
        while let byte = peek(0) {
            index += 1
            if byte == UInt8(ascii: "'") {
                builder.appendLiteral(bytes: decoded)
                return
            }
            guard byte == UInt8(ascii: "\\") else {
                guard byte != 0 else { throw controlCharacter(byte) }
                decoded.append(byte)
                continue
            }
            guard let escape = peek(0) else { break }
            index += 1
            if let simple = Self.simpleANSICEscapes[escape] {
                decoded.append(simple)
            } else if escape >= UInt8(ascii: "0") && escape <= UInt8(ascii: "7") {
                var value = UInt32(escape - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard let digit = peek(0), digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { break }
                    value = value * 8 + UInt32(digit - UInt8(ascii: "0"))
                    index += 1
                }
                decoded.append(UInt8(truncatingIfNeeded: value))
            } else if escape == UInt8(ascii: "x") {
                let value = readHexDigits(maximum: 2)
                guard let value else {
                    decoded += [UInt8(ascii: "\\"), escape]
                    continue
                }
                decoded.append(UInt8(truncatingIfNeeded: value))
            } else if escape == UInt8(ascii: "u") || escape == UInt8(ascii: "U") {
                guard let value = readHexDigits(maximum: escape == UInt8(ascii: "u") ? 4 : 8),
                    let scalar = Unicode.Scalar(value)
                else { throw syntax("unsupported '\\\(Character(Unicode.Scalar(escape)))' escape in $'…'") }
                decoded += Array(String(Character(scalar)).utf8)
            } else if escape == UInt8(ascii: "c") {
                guard let control = peek(0) else { break }
                index += 1
                decoded.append(control & 0x1F)
            } else {
                decoded += [UInt8(ascii: "\\"), escape]
            }
        }
        throw syntax("unterminated $'…' quote")
    }

    /// Reads up to `maximum` hex digits; `nil` when there is none.
    mutating func readHexDigits(maximum: Int) -> UInt32? {
        var value: UInt32 = 0
        var count = 0
        while count < maximum, let byte = peek(0), let digit = Self.hexValue(byte) {
            value = value * 16 + digit
            index += 1
            count += 1
        }
        return count == 0 ? nil : value
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static let simpleANSICEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "e"): 0x1B, UInt8(ascii: "E"): 0x1B,
        UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        UInt8(ascii: "v"): 0x0B, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "'"): 0x27, UInt8(ascii: "\""): 0x22,
        UInt8(ascii: "?"): 0x3F,
    ]
}
