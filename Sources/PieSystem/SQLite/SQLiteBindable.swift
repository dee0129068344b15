/// A Swift value that can fill a statement's `?` parameter. Optionals bind NULL when nil.
public protocol SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) throws(SQLiteError)
}

extension String: SQLiteBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) throws(SQLiteError) {
        try statement.bind(self, at: index)
    }
}

extension Int64: SQLiteBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) throws(SQLiteError) {
        try statement.bind(self, at: index)
    }
}

extension Int: SQLiteBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) throws(SQLiteError) {
        try statement.bind(Int64(self), at: index)
    }
}

extension Double: SQLiteBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) throws(SQLiteError) {
        try statement.bind(self, at: index)
    }
}

/// SQLite has no boolean type: true and false are stored as 1 and 0.
extension Bool: SQLiteBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) throws(SQLiteError) {
        try statement.bind(Int64(self ? 1 : 0), at: index)
    }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    public func bind(to statement: SQLiteStatement, at index: Int32) throws(SQLiteError) {
        if let value = self {
            try value.bind(to: statement, at: index)
        } else {
            try statement.bindNull(at: index)
        }
    }
}
