/// Where the automation store lives: `--store` or `PIE_AUTOMATIONS_STORE`. `sqlite:PATH` (or a
/// plain path) is the embedded default; `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` is a
/// PostgreSQL server that several workers on several machines share (docs/automations.md,
/// "Many workers"). A password in the URL is never shown: `description` masks it.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// The environment variable that names the store when `--store` is not given.
    public static let environmentVariable = "PIE_AUTOMATIONS_STORE"

    /// Parses what the user wrote; the error names what is wrong and never repeats a password.
    public init(parsing text: String) throws(StoreError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: text))
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .badLocation("--store sqlite: names no file; write sqlite:PATH, e.g. sqlite:/var/lib/pie/automations.db") }
            self = .sqlite(path: path)
        } else if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }), text[text.index(after: colon)...].hasPrefix("//") {
            throw .badLocation(
                "--store '\(text[..<colon])://…' is not a store pie knows; use sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE")
        } else {
            guard !text.isEmpty else { throw .badLocation("--store is empty; use sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE") }
            self = .sqlite(path: text)
        }
    }

    /// `--store` when given, else `PIE_AUTOMATIONS_STORE` when set, else `<pie dir>/automations.db`
    /// (nil when there is no pie directory either).
    public static func resolve(flag: String?, environment: [String: String], pieDirectory: String?) throws(StoreError) -> StoreLocation? {
        if let flag { return try StoreLocation(parsing: flag) }
        if let variable = environment[environmentVariable], !variable.isEmpty {
            do {
                return try StoreLocation(parsing: variable)
            } catch {
                throw .badLocation("\(environmentVariable): \(error.description)")
            }
        }
        return pieDirectory.map { .sqlite(path: SchedulerStore.defaultPath(pieDirectory: $0)) }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.description
        }
    }
}

/// A parsed `postgres://` URL. The password, when the URL has one, is kept for the connection
/// only; `description` shows `***` in its place.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// `sslmode` from the query string (libpq's default, `prefer`, when absent).
    public var sslMode: String?

    static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    public init(parsing text: String) throws(StoreError) {
        let scheme = text.hasPrefix("postgresql://") ? "postgresql://" : "postgres://"
        var rest = Substring(text.dropFirst(scheme.count))
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw Self.bad(text, "names no database; write postgres://USER@HOST[:PORT]/DATABASE")
        }
        let authority = rest[..<slash]
        let databaseText = rest[rest.index(after: slash)...]
        guard let at = authority.lastIndex(of: "@") else {
            throw Self.bad(text, "names no user; write postgres://USER@HOST[:PORT]/DATABASE")
        }
        let credentials = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        let userText: Substring
        if let colon = credentials.firstIndex(of: ":") {
            userText = credentials[..<colon]
            guard let decoded = Self.percentDecoded(credentials[credentials.index(after: colon)...]) else {
                throw Self.bad(text, "has a password that is not valid percent-encoded UTF-8")
            }
            password = decoded
        } else {
            userText = credentials
            password = nil
        }
        guard let decodedUser = Self.percentDecoded(userText), !decodedUser.isEmpty else {
            throw Self.bad(text, "names no user; write postgres://USER@HOST[:PORT]/DATABASE")
        }
        user = decodedUser
        var hostText = hostPort
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw Self.bad(text, "has an IPv6 host without its closing ']'") }
            hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw Self.bad(text, "has text after its IPv6 host") }
        } else if let colon = hostPort.lastIndex(of: ":") {
            hostText = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        }
        guard !hostText.isEmpty else { throw Self.bad(text, "names no host; write postgres://USER@HOST[:PORT]/DATABASE") }
        host = String(hostText)
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw Self.bad(text, "has port '\(portText)', which is not a number from 1 to 65535")
            }
            port = value
        } else {
            port = 5432
        }
        guard let decodedDatabase = Self.percentDecoded(databaseText), !decodedDatabase.isEmpty, !decodedDatabase.contains("/") else {
            throw Self.bad(text, "names no database (or has more than one path segment); write postgres://USER@HOST[:PORT]/DATABASE")
        }
        database = decodedDatabase
        sslMode = nil
        for pair in (query ?? "").split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "sslmode", Self.sslModes.contains(String(parts[1])) else {
                throw Self.bad(
                    text, "has query parameter '\(parts[0])' that pie does not take; only sslmode=\(Self.sslModes.sorted().joined(separator: "|")) is allowed")
            }
            sslMode = String(parts[1])
        }
    }

    /// The URL as it may be shown: the password, if any, replaced by `***`.
    public var description: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(hostText):\(port)/\(database)"
            + (sslMode.map { "?sslmode=\($0)" } ?? "")
    }

    /// The error for `text`, quoted with its password masked.
    private static func bad(_ text: String, _ problem: String) -> StoreError {
        .badLocation("--store \(masked(text)) \(problem)")
    }

    /// `text` with whatever sits between the user's ':' and the last '@' of the authority replaced by `***`.
    static func masked(_ text: String) -> String {
        let characters = Array(text)
        var schemeEnd: Int?
        for index in 0..<max(0, characters.count - 2) where characters[index] == ":" && characters[index + 1] == "/" && characters[index + 2] == "/" {
            schemeEnd = index + 3
            break
        }
        guard let start = schemeEnd else { return text }
        let authorityEnd = characters[start...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? characters.count
        guard let at = characters[start..<authorityEnd].lastIndex(of: "@"),
            let colon = characters[start..<at].firstIndex(of: ":")
        else { return text }
        return String(characters[..<colon]) + ":***" + String(characters[at...])
    }

    /// `%XX` escapes decoded; nil when an escape is malformed or the bytes are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
