import Glibc
import PieAutomations

/// The next due time of 10,000 automations (issue 12, point 10; target < 50 ms): a mix of cron
/// expressions over five zones (with and without daylight saving, Lord Howe's half hour), from one
/// start in the middle of Berlin's autumn change. Zones are loaded once, as a scheduler keeps
/// them; parsing is timed separately. Wall and thread-CPU time, since the machine is shared.
enum AutomationsBench {
    static let automationCount = 10_000

    static func run() async throws {
        let zoneNames = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
        let zones = try zoneNames.map { try TimeZoneRules.named($0, environment: [:]) }
        let expressions = (0..<automationCount).map(expression)
        let parseStart = monotonicNanos()
        let schedules = try expressions.map { try CronSchedule.parse($0) }
        let parseMilliseconds = Double(monotonicNanos() - parseStart) / 1e6
        let start = try RFC3339.parse("2026-10-25T02:10:00+01:00")
        var wall: [Double] = []
        var cpu: [Double] = []
        var found = 0
        for _ in 0..<15 {
            let (wallStart, cpuStart) = (monotonicNanos(), threadCPUNanos())
            found = 0
            for (index, schedule) in schedules.enumerated() where schedule.next(after: start, in: zones[index % zones.count]) != nil {
                found += 1
            }
            wall.append(Double(monotonicNanos() - wallStart) / 1e6)
            cpu.append(Double(threadCPUNanos() - cpuStart) / 1e6)
        }
        let (wallSummary, cpuSummary) = (Summary(wall), Summary(cpu))
        print(
            "automations: next due time of \(found) of \(automationCount) automations: median \(format(wallSummary.median)) ms, p90 \(format(wallSummary.p90)) ms, cpu median \(format(cpuSummary.median)) ms (target < 50 ms, n=\(wall.count)); parsing them: \(format(parseMilliseconds)) ms"
        )
    }

    /// A deterministic spread of the forms people write: every n minutes, daily and weekday
    /// times, monthly days, Vixie either-day rules, leap days, @-macros.
    static func expression(_ index: Int) -> String {
        let minute = index * 7 % 60
        let hour = index * 5 % 24
        switch index % 10 {
        case 0: return "*/\(index % 30 + 1) * * * *"
        case 1: return "\(minute) \(hour) * * *"
        case 2: return "\(minute) \(hour) * * 1-5"
        case 3: return "\(minute) \(hour) \(index % 28 + 1) * *"
        case 4: return "\(minute) \(hour) 13 * fri"
        case 5: return "\(minute) 2 * * *"
        case 6: return "0 0 29 2 *"
        case 7: return "\(minute) \(hour) 31 * *"
        case 8: return "@hourly"
        default: return "\(minute)-59/15 \(hour)-23/3 1-15 jan-dec/2 mon,wed,fri"
        }
    }

    private static func threadCPUNanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
