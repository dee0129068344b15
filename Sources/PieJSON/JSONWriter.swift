/// The one JSON writer: compact on one line (as `JSON.stringify` writes and as session and audit
/// lines need) or indented for people, strings quoted by `JSONEscaper`.
///
/// Keys come in a fixed order: the object's own (insertion) order, or sorted, which request bodies
/// and stored message payloads have always used so their bytes stay what they were.
public enum JSONWriter {
    public enum KeyOrder: Sendable {
        /// The order members were parsed or added.
        case insertion
        /// Sorted by name.
        case sorted
    }

    public static func bytes(_ value: JSONValue, keys: KeyOrder = .insertion, pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out, keys: keys, pretty: pretty)
        return out
    }

    public static func string(_ value: JSONValue, keys: KeyOrder = .insertion, pretty: Bool = false) -> String {
        String(decoding: bytes(value, keys: keys, pretty: pretty), as: UTF8.self)
    }

    public static func write(_ value: JSONValue, into out: inout [UInt8], keys: KeyOrder = .insertion, pretty: Bool = false) {
        var writer = Writer(out: out, keys: keys, pretty: pretty)
        out = []
        writer.write(value, indent: 0)
        out = writer.out
    }

    /// A number as JSON writes it: integral values below 2^53 without a fraction (epoch
    /// milliseconds, token counts), non-finite ones as `null` (JSON has no spelling for them; it is
    /// what JavaScript writes too), the rest in Swift's shortest round-tripping form.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < JSONNumber.exactIntegerLimit { return String(Int64(value)) }
        return value.description
    }

    private struct Writer {
        var out: [UInt8]
        let keys: KeyOrder
        let pretty: Bool

        mutating func write(_ value: JSONValue, indent: Int) {
            switch value {
            case .null: out.append(contentsOf: "null".utf8)
            case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
            case .number(let number): out.append(contentsOf: JSONWriter.number(number).utf8)
            case .string(let text): JSONEscaper.append(text, to: &out)
            case .array(let items):
                guard !items.isEmpty else { return out.append(contentsOf: "[]".utf8) }
                out.append(UInt8(ascii: "["))
                for (offset, item) in items.enumerated() {
                    if offset > 0 { out.append(UInt8(ascii: ",")) }
                    newline(indent + 1)
                    write(item, indent: indent + 1)
                }
                newline(indent)
                out.append(UInt8(ascii: "]"))
            case .object(let object):
                guard !object.isEmpty else { return out.append(contentsOf: "{}".utf8) }
                out.append(UInt8(ascii: "{"))
                let members = keys == .sorted ? object.sortedLastOfEachName : object.members
                for (offset, member) in members.enumerated() {
                    if offset > 0 { out.append(UInt8(ascii: ",")) }
                    newline(indent + 1)
                    JSONEscaper.append(member.key, to: &out)
                    out.append(UInt8(ascii: ":"))
                    if pretty { out.append(UInt8(ascii: " ")) }
                    write(member.value, indent: indent + 1)
                }
                newline(indent)
                out.append(UInt8(ascii: "}"))
            }
        }

        private mutating func newline(_ indent: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
        }
    }
}
