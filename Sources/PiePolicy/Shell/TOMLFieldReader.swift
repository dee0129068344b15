/// Reads typed fields out of one TOML table and turns every mistake into a `BashRulesError`
/// naming the source, the line and the field. Neither parser reports where a value sits, so
/// lines are found by `TOMLLineLocator`.
struct TOMLFieldReader {
    let table: ProfileTOMLTable
    /// Dotted path of this table, e.g. `exec_rules[2]`; empty for the document root.
    let path: String
    /// The array-of-tables header and 0-based index this table came from, for line lookup.
    let arrayTable: (name: String, index: Int)?
    let knownFields: [String]
    /// `knownFields` for lookups: a profile has thousands of keys to check.
    let knownFieldSet: Set<String>
    let source: String
    let locator: TOMLLineLocator

    init(
        table: ProfileTOMLTable, path: String, arrayTable: (name: String, index: Int)?, knownFields: [String],
        knownFieldSet: Set<String>? = nil, source: String, locator: TOMLLineLocator
    ) {
        self.table = table
        self.path = path
        self.arrayTable = arrayTable
        self.knownFields = knownFields
        self.knownFieldSet = knownFieldSet ?? Set(knownFields)
        self.source = source
        self.locator = locator
    }

    /// Rejects keys the format does not define, so a misspelt switch is an error rather than
    /// silently falling back to a default.
    func rejectUnknownFields() throws(BashRulesError) {
        if let unknown = table.entries.first(where: { !knownFieldSet.contains($0.key) }) {
            throw error(unknown.key, "unknown field (valid fields: \(knownFields.joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws(BashRulesError) -> String? {
        guard let value = table[key] else { return nil }
        guard case .string(let string) = value else {
            throw error(key, "expected a string, found \(value.typeDescription)")
        }
        return string
    }

    func requiredString(_ key: String) throws(BashRulesError) -> String {
        guard let value = try string(key), !value.isEmpty else { throw error(key, "a non-empty string is required") }
        return value
    }

    func bool(_ key: String, default defaultValue: Bool) throws(BashRulesError) -> Bool {
        guard let value = table[key] else { return defaultValue }
        guard case .bool(let bool) = value else {
            throw error(key, "expected true or false, found \(value.typeDescription)")
        }
        return bool
    }

    func int(_ key: String, default defaultValue: Int) throws(BashRulesError) -> Int {
        guard let value = table[key] else { return defaultValue }
        guard case .integer(let int) = value, int >= 0 else {
            throw error(key, "expected a non-negative integer, found \(value.typeDescription)")
        }
        return int
    }

    func strings(_ key: String, required: Bool = false) throws(BashRulesError) -> [String] {
        guard let value = table[key] else {
            if required { throw error(key, "an array of strings is required") }
            return []
        }
        guard case .array(let array) = value else {
            throw error(key, "expected an array of strings, found \(value.typeDescription)")
        }
        var strings: [String] = []
        strings.reserveCapacity(array.count)
        for element in array {
            guard case .string(let string) = element, !string.isEmpty else {
                throw error(key, "expected an array of non-empty strings, found \(element.typeDescription)")
            }
            strings.append(string)
        }
        return strings
    }

    /// Strings that must each start with `-`, because they are matched as options.
    func options(_ key: String) throws(BashRulesError) -> [String] {
        let values = try strings(key)
        if let bad = values.first(where: { !Self.startsWithDash($0) }) {
            throw error(key, "'\(bad)' is not an option (options start with '-')")
        }
        return values
    }

    /// `text.hasPrefix("-")` (by characters) without iterating characters: a `-` followed by an
    /// ASCII byte or nothing is a character of its own; only a non-ASCII byte after it (a
    /// combining mark, as in `-́`) needs the full check.
    private static func startsWithDash(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "-") else { return false }
        guard let second = bytes.next(), second >= 0x80 else { return true }
        return text.hasPrefix("-")
    }

    /// The tables of an array of tables such as `[[exec_rules]]`.
    func tables(_ key: String, knownFields: [String]) throws(BashRulesError) -> [TOMLFieldReader] {
        guard let value = table[key] else { return [] }
        guard case .array(let array) = value else {
            throw error(key, "expected an array of tables ([[\(key)]]), found \(value.typeDescription)")
        }
        var readers: [TOMLFieldReader] = []
        readers.reserveCapacity(array.count)
        let knownFieldSet = Set(knownFields)
        for (index, element) in array.enumerated() {
            guard case .table(let table) = element else {
                throw error(key, "expected an array of tables ([[\(key)]]), found \(element.typeDescription)")
            }
            readers.append(TOMLFieldReader(
                table: table, path: "\(key)[\(index)]", arrayTable: (key, index), knownFields: knownFields,
                knownFieldSet: knownFieldSet, source: source, locator: locator))
        }
        return readers
    }

    func error(_ key: String, _ message: String) -> BashRulesError {
        BashRulesError(
            source: source, line: locator.line(ofKey: key, in: arrayTable),
            field: path.isEmpty ? key : "\(path).\(key)", message: message)
    }
}

/// Finds the line of a key in TOML text, so errors about values (which TOMLKit does not
/// locate) still point at a line. It understands `key =` lines under `[table]` and
/// `[[array]]` headers, which is all the bash profile format uses.
///
/// The text is split into lines only when an error asks for one: splitting a builtin profile
/// took a third of the time of loading it, at every start of pie.
struct TOMLLineLocator {
    private let text: String

    init(text: String) {
        self.text = text
    }

    /// The 1-based line of `key` in the root table, or in the `index`-th `[[name]]` table.
    func line(ofKey key: String, in arrayTable: (name: String, index: Int)?) -> Int? {
        var inTarget = arrayTable == nil
        var seen = -1
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") {
                guard let arrayTable else { return nil }
                if line.hasPrefix("[[") && line.dropFirst(2).drop(while: { $0 == " " }).hasPrefix(arrayTable.name) {
                    seen += 1
                    inTarget = seen == arrayTable.index
                } else {
                    inTarget = false
                }
                continue
            }
            guard inTarget, line.hasPrefix(key) else { continue }
            let rest = line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("=") { return number + 1 }
        }
        return nil
    }
}
