/// Finding a zone's rules: by IANA name under the zone directory, or the process's local zone.
extension TimeZoneRules {
    /// Where IANA zone files live on Debian (the `tzdata` package); `TZDIR` overrides it, as it
    /// does for glibc.
    public static let defaultZoneDirectory = "/usr/share/zoneinfo"

    static func zoneDirectory(environment: [String: String]) -> String {
        guard let directory = environment["TZDIR"], directory.hasPrefix("/") else { return defaultZoneDirectory }
        return directory
    }

    /// The rules of `name`: "local" is `local(environment:)`, "UTC" needs no file, anything else
    /// is an IANA name read from the zone directory. Names are refused, not resolved, when they
    /// could leave the directory (`..`, a leading `/`) or hold characters no zone name has. This
    /// reads a file: load each name once and keep the rules.
    public static func named(_ name: String, environment: [String: String]) throws(TimeZoneError) -> TimeZoneRules {
        if name == "local" { return try local(environment: environment) }
        if name == "UTC" { return .utc }
        try validate(name)
        let directory = zoneDirectory(environment: environment)
        return try load(path: "\(directory)/\(name)", identifier: name, directory: directory)
    }

    /// The local zone, as glibc finds it: `TZ` when set (an IANA name, `:name`, an absolute path
    /// to a TZif file, or a POSIX TZ string; empty means UTC), else `/etc/localtime`, else UTC.
    public static func local(environment: [String: String]) throws(TimeZoneError) -> TimeZoneRules {
        try local(environment: environment, localtime: "/etc/localtime")
    }

    static func local(environment: [String: String], localtime: String) throws(TimeZoneError) -> TimeZoneRules {
        let directory = zoneDirectory(environment: environment)
        guard let value = environment["TZ"] else {
            guard let bytes = try readIfPresent(localtime, zone: "local") else { return .utc }
            return try rules(bytes, identifier: localIdentifier(localtime, directory: directory), path: localtime)
        }
        let zone = value.hasPrefix(":") ? String(value.dropFirst()) : value
        if zone.isEmpty || zone == "UTC" { return .utc }
        if zone.hasPrefix("/") { return try load(path: zone, identifier: zone, directory: directory) }
        // Not a zone file: TZ may still be a POSIX rule such as EST5EDT,M3.2.0,M11.1.0.
        if (try? validate(zone)) != nil, let bytes = try readIfPresent("\(directory)/\(zone)", zone: zone) {
            return try rules(bytes, identifier: zone, path: "\(directory)/\(zone)")
        }
        guard let rule = PosixTimeZoneRuleParser.parse(zone) else {
            throw TimeZoneError(
                zone: value,
                message: "TZ='\(value)' is neither a zone in \(directory) (e.g. Europe/Berlin) nor a POSIX TZ rule (e.g. CET-1CEST,M3.5.0,M10.5.0/3)")
        }
        return TimeZoneRules(identifier: zone, transitions: [], offsets: [], initialOffset: rule.standardOffset, footer: rule)
    }

    /// The rules in TZif `bytes`.
    public init(tzif bytes: [UInt8], identifier: String) throws(TimeZoneError) {
        self = try Self.rules(bytes, identifier: identifier, path: identifier)
    }

    private static func load(path: String, identifier: String, directory: String) throws(TimeZoneError) -> TimeZoneRules {
        guard let bytes = try readIfPresent(path, zone: identifier) else {
            throw identifier == path ? .unreadable(identifier, path: path, "no such file") : .unknown(identifier, directory: directory)
        }
        return try rules(bytes, identifier: identifier, path: path)
    }

    /// The file's bytes, or nil when it does not exist.
    private static func readIfPresent(_ path: String, zone: String) throws(TimeZoneError) -> [UInt8]? {
        do {
            return try ZoneFile.read(path)
        } catch {
            switch error {
            case .missing: return nil
            case .directory: throw .invalidName(zone, "\(path) is a directory of zones, not a zone; name one inside it, e.g. Europe/Berlin")
            case .other(let reason): throw .unreadable(zone, path: path, reason)
            }
        }
    }

    private static func rules(_ bytes: [UInt8], identifier: String, path: String) throws(TimeZoneError) -> TimeZoneRules {
        do {
            let contents = try TZifParser.parse(bytes)
            return TimeZoneRules(
                identifier: identifier, transitions: contents.transitions, offsets: contents.offsets,
                initialOffset: contents.initialOffset, footer: contents.footer)
        } catch {
            throw .notAZone(identifier, path: path, error.reason)
        }
    }

    /// /etc/localtime is normally a link into the zone directory; its target names the zone.
    private static func localIdentifier(_ localtime: String, directory: String) -> String {
        guard let target = ZoneFile.linkTarget(localtime) else { return "localtime" }
        for marker in ["\(directory)/", "/zoneinfo/"] {
            if let range = target.firstRange(of: marker) { return String(target[range.upperBound...]) }
        }
        return target
    }

    /// IANA names are ASCII letters, digits and `/ _ + -` in components that do not start with
    /// `-`; `..`, absolute paths and empty components are refused before any file is opened.
    static func validate(_ name: String) throws(TimeZoneError) {
        guard !name.isEmpty else { throw .invalidName(name, "it is empty") }
        guard !name.contains("..") else { throw .invalidName(name, "zone names cannot contain '..'") }
        guard !name.hasPrefix("/") else { throw .invalidName(name, "zone names are relative to the zone directory, not absolute paths") }
        guard name.utf8.count <= 255 else { throw .invalidName(name, "it is longer than 255 bytes") }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty else { throw .invalidName(name, "it has an empty path component") }
            guard !component.hasPrefix("-") else { throw .invalidName(name, "a component starts with '-'") }
            guard component.utf8.allSatisfy(isZoneNameByte) else {
                throw .invalidName(name, "only letters, digits and / _ + - are allowed")
            }
        }
    }

    private static func isZoneNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
