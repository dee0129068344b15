/// A failed libpq call: what failed, the server's SQLSTATE when it sent one, and libpq's message.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// libpq could not be loaded (not installed).
        case library
        /// No connection: the server is down, unreachable, or refused the login.
        case connection
        /// The server refused or failed a statement.
        case statement
        /// The connection broke while a COMMIT was on its way: the server may have applied the
        /// transaction or not.
        case commitUnknown
    }

    public var kind: Kind
    /// The five-character SQLSTATE (`40001`, `23505`, …); empty when the server sent none.
    public var sqlState: String
    public var message: String

    public init(kind: Kind, sqlState: String = "", message: String) {
        (self.kind, self.sqlState, self.message) = (kind, sqlState, message)
    }

    public var description: String {
        switch kind {
        case .library:
            "cannot load libpq (\(message)); install it (Debian: apt-get install libpq5, or run scripts/install-deps.sh)"
        case .connection:
            "cannot reach the PostgreSQL server: \(message); check the server is running and the URL's host, port, "
                + "user and database"
        case .commitUnknown:
            "the connection to the PostgreSQL server broke during COMMIT (\(message)); the change may or may not "
                + "have been applied, and the next operation that reaches the server settles it"
        case .statement:
            "PostgreSQL error\(sqlState.isEmpty ? "" : " \(sqlState)"): \(message)"
        }
    }
}
