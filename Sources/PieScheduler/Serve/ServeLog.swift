import PieAutomations
import PieJSON

/// `serve`'s log: one line per event on standard error, as text for a person or as a JSON object
/// per line (`--log-format json`) for a log collector. Every line has the time, level, event
/// name and message; runs add `automation` and `run`.
public struct ServeLog: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public enum Level: String, Sendable {
        case info, warning, error
    }

    public let format: Format
    let clock: any SchedulerClock
    let write: @Sendable (String) -> Void

    public init(format: Format, clock: any SchedulerClock, write: @escaping @Sendable (String) -> Void) {
        (self.format, self.clock, self.write) = (format, clock, write)
    }

    public func log(_ level: Level, _ event: String, _ message: String, _ fields: [(String, JSONValue)] = []) {
        write(line(level, event, message, fields) + "\n")
    }

    func line(_ level: Level, _ event: String, _ message: String, _ fields: [(String, JSONValue)]) -> String {
        let time = RFC3339.format(clock.now(), in: .utc)
        switch format {
        case .json:
            let object = JSONObject(
                [("time", .string(time)), ("level", .string(level.rawValue)), ("event", .string(event)),
                 ("message", .string(message))] + fields)
            return JSONValue.object(object).rendered
        case .text:
            let extra = fields.map { key, value in " \(key)=\(value.stringValue ?? value.rendered)" }.joined()
            return "\(time) \(level.rawValue) \(event)\(extra): \(message)"
        }
    }
}
