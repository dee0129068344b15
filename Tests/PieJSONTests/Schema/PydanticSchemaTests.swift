import Foundation
import PieJSON
import PieTestSupport
import Testing

/// The schemas pydantic writes for the argument types MCP servers use (every scalar, date and
/// time, UUID, Decimal, bytes, URL, constrained strings and numbers, sets, tuples, dicts, enums,
/// literals, optionals, unions, discriminated unions, TypedDicts, recursive and closed models), as
/// pydantic_schemas.py prints them: pie compiles every one, accepts the value pydantic itself
/// dumped, and judges mutations of it (a member removed, given an object, given a string) as
/// Python's `jsonschema` does. Fails, never skips, when pydantic or jsonschema is missing.
@Suite struct PydanticSchemaTests {
    @Test func pieCompilesPydanticSchemasAndJudgesAsJSONSchemaDoes() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("pydantic_schemas.py").path
        let printed = try await HostProcess.run(["/usr/bin/env", "python3", script])
        try #require(
            printed.status == 0, "python3 pydantic_schemas.py failed (pydantic missing? run scripts/install-deps.sh): \(printed.stderrText)")
        let models = try printed.stdoutText.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        try #require(models.count == 5, "pydantic_schemas.py printed \(models.count) models")

        var lines: [String] = []
        var ours: [(name: String, instance: JSONValue, valid: Bool)] = []
        for model in models {
            let name = model["name"]?.stringValue ?? "?"
            let document = try #require(model["schema"])
            let valid = try #require(model["valid"]?.objectValue)
            let schema: JSONSchema
            do {
                schema = try JSONSchema.compile(document)
            } catch {
                Issue.record("pydantic's schema for \(name) was refused: \(error)")
                continue
            }
            #expect(schema.admitsObjects, "\(name)")
            #expect(schema.validate(.object(valid)) == [], "\(name): pydantic's own value refused")
            var instances: [JSONValue] = [.object(valid)]
            for member in valid.members {
                var removed = valid
                removed[member.key] = nil
                var object = valid
                object[member.key] = ["wrong": [true]]
                var text = valid
                text[member.key] = "x"
                instances += [.object(removed), .object(object), .object(text)]
            }
            for instance in instances {
                ours.append((name, instance, schema.isValid(instance)))
                lines.append(JSONValue.object(["schema": document, "instance": instance]).rendered)
            }
        }
        let verdicts = try await JSONSchemaOracleTests.runOracle(lines)
        try #require(verdicts.count == ours.count)
        var mismatches: [String] = []
        for (judged, verdict) in zip(ours, verdicts) where verdict != (judged.valid ? "valid" : "invalid") {
            mismatches.append("\(judged.name) \(judged.instance.rendered): pie \(judged.valid ? "valid" : "invalid"), jsonschema \(verdict)")
        }
        let mismatchCount = mismatches.count
        #expect(mismatchCount == 0, "\(mismatches.prefix(10).joined(separator: "\n"))")
        let invalid = ours.filter { !$0.valid }.count
        #expect(invalid > ours.count / 2, "\(invalid) of \(ours.count) mutations refused")
    }
}
