import TOMLKit

/// How a TOML value is named in an error ("expected a string, got the integer 3"), the same in
/// every file pie reads: policy profiles, automation files, `hooks.toml`, `mcp.toml`.
public enum TOMLValueDescription {
    public static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: "the string \"\(value.string ?? "")\""
        case .int: "the integer \(value.int ?? 0)"
        case .bool: "the boolean \(value.bool ?? false)"
        case .double: "the number \(value.double ?? 0)"
        case .array: "an array"
        case .table: "a table"
        case .date, .time, .dateTime: "a TOML date or time"
        }
    }
}
