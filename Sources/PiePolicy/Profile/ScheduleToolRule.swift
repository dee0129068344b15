/// `schedule_tool`: what happens when the model asks to schedule work in the session. There is
/// no `allow`: work that runs later with nobody typing it is added only by a person (`/cron add`)
/// or with a person's confirmation (`ask`).
public enum ScheduleToolRule: String, Sendable, CaseIterable, Codable {
    case ask, deny
}
