import PieJSON
import PieMCP
import Testing

@Suite("MCP notification dedup keys")
struct MCPNotificationKeyTests {
    @Test func listChangesCollapsePerListAndUpdatesPerURI() throws {
        #expect(MCPNotificationKey.key(server: "gh", method: "notifications/tools/list_changed", params: nil) == .key("mcp:gh:tools"))
        #expect(MCPNotificationKey.key(server: "gh", method: "notifications/prompts/list_changed", params: .null) == .key("mcp:gh:prompts"))
        #expect(
            MCPNotificationKey.key(server: "gh", method: "notifications/resources/list_changed", params: nil) == .key("mcp:gh:resources"))
        let updated = try JSONParser.parse("{\"uri\":\"repo://a/issues\"}")
        #expect(
            MCPNotificationKey.key(server: "gh", method: "notifications/resources/updated", params: updated)
                == .key("mcp:gh:resources:repo://a/issues"))
        guard case .dropped = MCPNotificationKey.key(server: "gh", method: "notifications/resources/updated", params: nil) else {
            Issue.record("an update without a uri was not dropped")
            return
        }
    }

    @Test func customNotificationsNeedTheirOwnKeyOrAreDropped() throws {
        let keyed = try JSONParser.parse("{\"_meta\":{\"pie_dedup_key\":\"build-42\"},\"status\":\"done\"}")
        #expect(
            MCPNotificationKey.key(server: "ci", method: "notifications/ci/build", params: keyed)
                == .key("mcp:ci:custom:notifications/ci/build:build-42"))
        let legacy = try JSONParser.parse("{\"_pie_dedup_key\":\"b\"}")
        #expect(MCPNotificationKey.key(server: "ci", method: "notifications/ci/build", params: legacy) == .key("mcp:ci:custom:notifications/ci/build:b"))
        let unkeyed = try JSONParser.parse("{\"status\":\"done\"}")
        #expect(MCPNotificationKey.key(server: "ci", method: "notifications/ci/build", params: unkeyed)
            == .dropped("notifications/ci/build has no _meta.pie_dedup_key, so it cannot be deduplicated"))
        let long = JSONValue.object(JSONObject([("_meta", .object(JSONObject([("pie_dedup_key", .string(String(repeating: "k", count: 257)))])))]))
        guard case .dropped = MCPNotificationKey.key(server: "ci", method: "notifications/x", params: long) else {
            Issue.record("an over-long key was not dropped")
            return
        }
        guard case .dropped = MCPNotificationKey.key(server: "ci", method: "tools/call", params: keyed) else {
            Issue.record("a request method was taken as a notification")
            return
        }
    }
}
