import PieAutomations
import PiePolicy

/// One file trigger: the automation, the absolute path it watches and the change it fires on.
public struct FileTarget: Sendable, Hashable {
    public var automation: AutomationID
    /// Absolute and normalized (`~` expanded, `.` and `..` and repeated slashes removed).
    public var path: String
    public var on: AutomationTrigger.FileEvent

    /// nil when `path` names no file a directory could hold (`/`, or a relative path).
    public init?(automation: AutomationID, path: String, on: AutomationTrigger.FileEvent, home: String?) {
        var expanded = path
        if path == "~" || path.hasPrefix("~/") {
            guard let home else { return nil }
            expanded = home + path.dropFirst()
        }
        guard expanded.hasPrefix("/") else { return nil }
        let normalized = PathNormalizer.normalize(expanded)
        guard normalized != "/" else { return nil }
        (self.automation, self.path, self.on) = (automation, normalized, on)
    }

    /// The file trigger of `automation`, when it has one.
    public init?(_ automation: Automation, home: String?) {
        guard case .file(let path, let on) = automation.trigger else { return nil }
        self.init(automation: automation.id, path: path, on: on, home: home)
    }

    /// The directory the file is in, which is what inotify watches (the file may not exist).
    var parent: String {
        let cut = path.lastIndex(of: "/") ?? path.startIndex
        return cut == path.startIndex ? "/" : String(path[..<cut])
    }

    var name: String { String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...]) }
}
