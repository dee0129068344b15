import PieAutomations

/// One value bound to a statement's `?` parameter or read from a result column: the four kinds
/// both backends store (SQLite's storage classes; PostgreSQL's BIGINT, DOUBLE PRECISION, TEXT).
enum StoreValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// A Swift value a statement can take as an argument.
protocol StoreBindable {
    var storeValue: StoreValue { get }
}

extension Int64: StoreBindable { var storeValue: StoreValue { .integer(self) } }
extension Int: StoreBindable { var storeValue: StoreValue { .integer(Int64(self)) } }
extension Double: StoreBindable { var storeValue: StoreValue { .real(self) } }
extension String: StoreBindable { var storeValue: StoreValue { .text(self) } }
/// Stored as 0 or 1 in an integer column: the same in both backends.
extension Bool: StoreBindable { var storeValue: StoreValue { .integer(self ? 1 : 0) } }

extension Optional: StoreBindable where Wrapped: StoreBindable {
    var storeValue: StoreValue { self?.storeValue ?? .null }
}

/// One result row, read by column position like the statement's column list.
struct StoreRow: Sendable {
    var values: [StoreValue]

    func isNull(_ column: Int) -> Bool {
        guard column < values.count else { return true }
        return values[column] == .null
    }

    /// PostgreSQL hands every value over as text; SQLite as its storage class.
    func int64(_ column: Int) -> Int64 {
        guard column < values.count else { return 0 }
        switch values[column] {
        case .integer(let value): return value
        case .real(let value): return Int64(value)
        case .text(let text): return Int64(text) ?? Double(text).map { Int64($0) } ?? 0
        case .null: return 0
        }
    }

    func int(_ column: Int) -> Int { Int(int64(column)) }

    func double(_ column: Int) -> Double {
        guard column < values.count else { return 0 }
        switch values[column] {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let text): return Double(text) ?? 0
        case .null: return 0
        }
    }

    func text(_ column: Int) -> String? {
        guard column < values.count else { return nil }
        switch values[column] {
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let text): return text
        case .null: return nil
        }
    }

    func instant(_ column: Int) -> Instant? {
        isNull(column) ? nil : Instant(secondsSinceEpoch: int64(column))
    }
}
