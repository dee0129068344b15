import PieAutomations
import PiePolicy
import TOMLKit

/// `<session>.cron.toml`: one `[[job]]` table per cron job.
///
/// ```toml
/// [[job]]
/// id = "c1"
/// cron = "0 9 * * 1-5"
/// timezone = "Europe/Berlin"   # optional; the local zone when absent
/// prompt = "Summarise yesterday's commits."
/// enabled = true
/// origin = "user"              # user (/cron add) or model (the schedule tool, confirmed)
/// created = "2026-12-07T18:00:00Z"
/// ```
///
/// Unknown keys, a bad expression or zone, a duplicate id are errors naming the file, the line and
/// the field.
public enum CronFile {
    static let jobKeys = ["id", "cron", "timezone", "prompt", "enabled", "origin", "created"]

    public static func parse(_ text: String, path: String, rules: SessionJobRules) -> JobFileContents {
        let lines = JobTableLines(text)
        if let row = lines.nulLine {
            return JobFileContents(issues: [
                AutomationIssue(
                    file: path, line: row, field: nil, message: "contains a NUL byte, which TOML forbids",
                    fix: "remove it; pie has not changed the file")
            ])
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            return JobFileContents(issues: [
                AutomationIssue(
                    file: path, line: error.source.begin.line, field: nil, message: "is not valid TOML: \(error.description)",
                    fix: "correct the syntax; pie has not changed the file and runs none of its jobs until then")
            ])
        } catch {
            return JobFileContents(issues: [
                AutomationIssue(file: path, line: nil, field: nil, message: "cannot be parsed: \(error)", fix: "correct the syntax")
            ])
        }
        var contents = JobFileContents()
        for key in table.keys where key != "job" {
            contents.issues.append(
                AutomationIssue(
                    file: path, line: lines.topLevelLine(key), field: key, message: "unknown key '\(key)'",
                    fix: "a cron file holds only [[job]] tables"))
        }
        guard let value = table["job"] else { return contents }
        guard let array = value.array else {
            contents.issues.append(
                AutomationIssue(
                    file: path, line: lines.topLevelLine("job"), field: "job", message: "is not an array of tables",
                    fix: "write each job as a [[job]] table"))
            return contents
        }
        var seen: Set<String> = []
        for index in 0..<array.count {
            var reader = JobReader(file: path, job: index, lines: lines)
            guard let entry = array[index].table else {
                reader.error(nil, "job \(index + 1) is not a table", fix: "write each job as a [[job]] table")
                contents.issues += reader.issues
                continue
            }
            if let job = reader.job(entry, rules: rules), !reader.hasErrors {
                if seen.insert(job.id).inserted {
                    contents.jobs.append(job)
                } else {
                    reader.error("id", "the id '\(job.id)' is used twice", fix: "give each job its own id")
                }
            }
            contents.issues += reader.issues
        }
        return contents
    }

    /// The file's text for `jobs`, in their order: generated, so every value is quoted by
    /// `TOMLText` and reads back to the same jobs.
    public static func render(_ jobs: [SessionJob]) -> String {
        var out = "# pie session cron jobs: /cron add, /cron list|enable|disable|remove, and the schedule tool\n"
        out += "# (docs/automations.md, \"Session jobs\"). Times are the local zone unless timezone is set.\n"
        for job in jobs {
            guard case .cron(let expression, let timezone) = job.trigger else { continue }
            out += "\n[[job]]\n"
            out += "id = \(TOMLText.quoted(job.id))\n"
            out += "cron = \(TOMLText.quoted(expression))\n"
            if let timezone { out += "timezone = \(TOMLText.quoted(timezone))\n" }
            out += "prompt = \(TOMLText.quoted(job.prompt))\n"
            out += "enabled = \(job.enabled)\n"
            out += "origin = \(TOMLText.quoted(job.origin.rawValue))\n"
            // A job written by hand without `created` (read as the epoch) stays without it.
            if job.created.secondsSinceEpoch != 0 {
                out += "created = \(TOMLText.quoted(RFC3339.format(job.created, in: .utc)))\n"
            }
        }
        return out
    }
}

/// Reads one `[[job]]` table, recording problems with their lines instead of stopping at the first.
private struct JobReader {
    let file: String
    let job: Int
    let lines: JobTableLines
    var issues: [AutomationIssue] = []

    init(file: String, job: Int, lines: JobTableLines) {
        (self.file, self.job, self.lines) = (file, job, lines)
    }

    var hasErrors: Bool { !issues.isEmpty }

    mutating func error(_ key: String?, _ message: String, fix: String) {
        issues.append(
            AutomationIssue(
                file: file, line: lines.line(job: job, key: key), field: key.map { "job.\($0)" } ?? "job", message: message,
                fix: fix))
    }

    mutating func job(_ table: TOMLTable, rules: SessionJobRules) -> SessionJob? {
        for key in table.keys where !CronFile.jobKeys.contains(key) {
            let hint = Spelling.closest(to: key, among: CronFile.jobKeys).map { " (did you mean '\($0)'?)" } ?? ""
            error(key, "unknown key '\(key)'\(hint)", fix: "valid keys: \(CronFile.jobKeys.joined(separator: ", "))")
        }
        let id = string(table, "id", required: true)
        if let id, !SessionJobID.isValid(id, kind: .cron) {
            error("id", "'\(id)' is not a cron job id", fix: "write c followed by a number, e.g. \"c1\"")
        }
        let expression = string(table, "cron", required: true)
        let timezone = string(table, "timezone", required: false)
        let prompt = string(table, "prompt", required: true)
        let enabled = bool(table, "enabled") ?? true
        let origin = string(table, "origin", required: false).map { text -> SessionJob.Origin? in
            guard let origin = SessionJob.Origin(rawValue: text) else {
                error("origin", "'\(text)' is not user or model", fix: "write origin = \"user\" or \"model\"")
                return nil
            }
            return origin
        } ?? .user
        var created = Instant(secondsSinceEpoch: 0)
        if let text = string(table, "created", required: false) {
            do throws(RFC3339Error) {
                created = try RFC3339.parse(text)
            } catch {
                self.error("created", error.description, fix: "write an RFC 3339 time, or remove the key")
            }
        }
        if let expression {
            do throws(SessionJobError) {
                _ = try rules.cron(expression, timezone: timezone)
            } catch {
                self.error(error.message.hasPrefix("timezone") ? "timezone" : "cron", error.message, fix: error.fix)
            }
        }
        if let prompt {
            do throws(SessionJobError) {
                _ = try rules.prompt(prompt)
            } catch {
                self.error("prompt", error.message, fix: error.fix)
            }
        }
        guard let id, let expression, let prompt, let origin, !hasErrors else { return nil }
        return SessionJob(
            id: id, trigger: .cron(expression: expression, timezone: timezone), prompt: prompt, enabled: enabled,
            origin: origin, created: created)
    }

    mutating func string(_ table: TOMLTable, _ key: String, required: Bool) -> String? {
        guard let value = table[key] else {
            if required { error(key, "missing", fix: "add \(key) = \"…\"") }
            return nil
        }
        guard let text = value.string else {
            error(key, "is not a string", fix: "write \(key) = \"…\" in quotes")
            return nil
        }
        return text
    }

    mutating func bool(_ table: TOMLTable, _ key: String) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else {
            error(key, "is not true or false", fix: "write \(key) = true or false")
            return nil
        }
        return flag
    }
}
