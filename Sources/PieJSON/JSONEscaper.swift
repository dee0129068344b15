/// The one JSON string escaper: the session file, the audit log (whose hash chain covers these
/// bytes), reports, request bodies and event lines all quote text through it.
///
/// Escapes per RFC 8259 (quote, backslash, every control character: `\n \r \t` by name, the rest
/// as `\u00XX`), plus DEL and U+2028/U+2029 so a line is also safe to embed in JavaScript. Every
/// other byte is copied, so a line never contains a raw newline and non-ASCII text stays UTF-8.
/// Runs of plain bytes are copied at once.
public enum JSONEscaper {
    public static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let length: Int
                switch byte {
                case 0x20..<0x7F where byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\"):
                    index += 1
                    continue
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    length = 3
                case 0x80...: index += 1; continue
                default: length = 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(length == 3 ? (bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029) : UInt32(byte), to: &out)
                index += length
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal appended to `out`.
    public static func escape(_ text: String, into out: inout String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        append(text, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscape(_ scalar: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch scalar {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            out.append(UInt8(ascii: "u"))
            for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int(scalar >> UInt32(shift) & 0xF)]) }
        }
    }
}
