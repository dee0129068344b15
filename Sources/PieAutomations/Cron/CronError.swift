/// Why a cron expression was refused: the field (nil when the expression as a whole is wrong,
/// e.g. the number of fields) and the offending text, in a one-line message that says what would
/// be valid.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault, or nil for the whole expression.
    public let field: CronField?
    /// The text that was refused, as written.
    public let value: String
    /// The full message; `description` returns it.
    public let message: String

    init(field: CronField?, value: String, _ explanation: String) {
        self.field = field
        self.value = value
        self.message = field.map { "\($0.rawValue): \(explanation)" } ?? explanation
    }

    public var description: String { message }
}
