/// Why a time zone could not be used: it names the zone as given and says where zones are looked
/// up or what was wrong with the file.
public struct TimeZoneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The zone name, TZ value or path, as given.
    public let zone: String
    /// The full message; `description` returns it.
    public let message: String

    public var description: String { message }

    static func unknown(_ zone: String, directory: String) -> TimeZoneError {
        TimeZoneError(
            zone: zone,
            message: "unknown time zone '\(zone)': no such file \(directory)/\(zone) (IANA names like Europe/Berlin or UTC are looked up in \(directory), from Debian's tzdata package; 'local' is TZ or /etc/localtime)")
    }

    static func invalidName(_ zone: String, _ reason: String) -> TimeZoneError {
        TimeZoneError(
            zone: zone,
            message: "'\(zone)' is not a time zone name: \(reason) (use an IANA name like Europe/Berlin, UTC or 'local')")
    }

    static func notAZone(_ zone: String, path: String, _ reason: String) -> TimeZoneError {
        TimeZoneError(zone: zone, message: "time zone '\(zone)': \(path) is not a TZif zone file: \(reason)")
    }

    static func unreadable(_ zone: String, path: String, _ reason: String) -> TimeZoneError {
        TimeZoneError(zone: zone, message: "time zone '\(zone)': cannot read \(path): \(reason)")
    }
}
