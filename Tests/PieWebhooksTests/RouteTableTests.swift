@testable import PieAutomations
import Testing
@testable import PieWebhooks

@Suite struct RouteTableTests {
    static func endpoint(_ id: String, _ path: String, env: String = "SECRET") -> WebhookEndpoint {
        WebhookEndpoint(
            automationID: AutomationID(id)!, file: "/p/.pie/automations/\(id).toml", path: path, signature: .githubSHA256,
            secretEnv: env, debounce: nil)
    }

    @Test("a missing or empty secret keeps the route (it refuses) and is reported with file and field")
    func missingSecret() throws {
        let table = WebhookRouteTable(
            endpoints: [Self.endpoint("a", "/hooks/a", env: "A_SECRET"), Self.endpoint("b", "/hooks/b", env: "B_SECRET"),
                        Self.endpoint("c", "/hooks/c", env: "C_SECRET")],
            environment: ["A_SECRET": "s3cret", "C_SECRET": ""])
        #expect(table.paths == ["/hooks/a", "/hooks/b", "/hooks/c"])
        #expect(table.route(for: "/hooks/a")?.secret != nil)
        #expect(table.route(for: "/hooks/b")?.secret == nil)
        #expect(table.route(for: "/hooks/c")?.secret == nil)
        #expect(table.problems.map(\.automationID.rawValue) == ["b", "c"])
        let problem = try #require(table.problems.first)
        #expect(problem.field == "trigger.webhook.secret_env")
        #expect(problem.description.hasPrefix("/p/.pie/automations/b.toml: trigger.webhook.secret_env: "))
        #expect(problem.description.contains("export B_SECRET"))
    }

    @Test("a path taken twice serves the first, and /metrics is never a webhook path")
    func conflicts() {
        let table = WebhookRouteTable(
            endpoints: [Self.endpoint("a", "/hooks/x"), Self.endpoint("b", "/hooks/x"), Self.endpoint("m", "/metrics")],
            environment: ["SECRET": "s"])
        #expect(table.paths == ["/hooks/x"])
        #expect(table.route(for: "/hooks/x")?.endpoint.automationID.rawValue == "a")
        #expect(table.problems.map(\.automationID.rawValue) == ["b", "m"])
        #expect(table.problems.allSatisfy { $0.field == "trigger.webhook.path" })
    }

    @Test("endpoints come from webhook automations only")
    func fromAutomations() {
        let webhook = AutomationTrigger.Webhook(path: "/hooks/d", secretEnv: "D", signature: .slackV0, debounce: AutomationDuration(seconds: 30))
        var automation = Automation(
            id: AutomationID("d")!, scope: .project, path: "/p/d.toml", prompt: "p", model: ModelReference("ds4:m")!,
            trigger: .webhook(webhook))
        #expect(WebhookEndpoint(automation: automation)
            == WebhookEndpoint(automationID: AutomationID("d")!, file: "/p/d.toml", path: "/hooks/d", signature: .slackV0, secretEnv: "D",
                debounce: AutomationDuration(seconds: 30)))
        automation.trigger = .every(AutomationDuration(seconds: 60))
        #expect(WebhookEndpoint(automation: automation) == nil)
    }
}
