import TOMLKit

/// A bash profile's TOML document as plain Swift values, whichever parser read it: the
/// builtin profiles are read by `ProfileTOMLReader`, any other text by TOMLKit. Reading fields
/// from native arrays and dictionaries costs far less than going through TOMLKit's C++ bridge
/// element by element.
enum ProfileTOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([ProfileTOMLValue])
    case table(ProfileTOMLTable)
    /// A value the profile format never uses (a float, a date or a time), by its description
    /// in errors ("a number").
    case unsupported(String)

    /// How an error names the value's type.
    var typeDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .unsupported(let description): description
        }
    }

    /// Converts a TOMLKit value, keeping every type apart.
    init(_ value: any TOMLValueConvertible) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = value.int.map(Self.integer) ?? .unsupported("an integer out of range")
        case .bool: self = .bool(value.bool ?? false)
        case .array: self = .array(value.array.map { $0.map(ProfileTOMLValue.init) } ?? [])
        case .table: self = value.table.map { .table(ProfileTOMLTable($0)) } ?? .unsupported("a table")
        case .double: self = .unsupported("a number")
        default: self = .unsupported("a date or time")
        }
    }
}

/// A TOML table: its keys in the order the parser gives them, and their values. Kept as a list:
/// a profile's tables have a few keys each, and comparing short keys in a row costs less than
/// hashing them (a builtin profile has some 10,000 lookups of fields that are mostly absent).
struct ProfileTOMLTable: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        let key: String
        let value: ProfileTOMLValue
    }

    private(set) var entries: [Entry] = []

    var keys: [String] { entries.map(\.key) }

    init() {}

    init(_ table: TOMLTable) {
        for (key, value) in table {
            insert(key, ProfileTOMLValue(value))
        }
    }

    subscript(key: String) -> ProfileTOMLValue? {
        entries.first { Self.same($0.key, key) }?.value
    }

    /// `==`, rejecting keys of another length first without the full string comparison.
    private static func same(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count && left == right
    }

    /// Adds `key`; `false` when the table already has it.
    @discardableResult
    mutating func insert(_ key: String, _ value: ProfileTOMLValue) -> Bool {
        guard !entries.contains(where: { Self.same($0.key, key) }) else { return false }
        entries.append(Entry(key: key, value: value))
        return true
    }
}
