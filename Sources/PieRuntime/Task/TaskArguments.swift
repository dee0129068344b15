import PieAgent
import PieJSON

/// A `task` call's arguments, checked for meaning: what the schema cannot say (sizes, which tools
/// exist and may be delegated, a description fit for one line of a terminal) is refused here,
/// before the policy is asked, with a message the model can act on.
struct TaskArguments: Sendable, Equatable {
    var description: String
    var prompt: String
    /// The sub-agent's tools, in the parent's order; `CodingTools.readOnlyNames` when not given.
    var tools: [String]

    /// `offered`: the coding tools the parent itself has, the only ones it can hand on.
    static func parse(_ object: JSONObject, offered: [String], limits: TaskLimits) -> Result<TaskArguments, ArgumentProblem> {
        guard let description = object["description"]?.stringValue, let prompt = object["prompt"]?.stringValue else {
            return .failure(ArgumentProblem("description and prompt must be strings"))
        }
        if let problem = descriptionProblem(description) { return .failure(ArgumentProblem(problem)) }
        if prompt.allSatisfy(\.isWhitespace) {
            return .failure(ArgumentProblem("'prompt' is empty: say what the sub-agent should find out or do"))
        }
        let bytes = prompt.utf8.count
        if bytes > limits.maxPromptBytes {
            return .failure(
                ArgumentProblem(
                    "'prompt' is \(bytes) bytes; the limit is \(limits.maxPromptBytes): ask a focused question and let the sub-agent read the files itself"))
        }
        let tools: [String]
        switch object["tools"] {
        case nil:
            tools = CodingTools.readOnlyNames.filter(offered.contains)
        case .array(let values)?:
            switch toolNames(values, offered: offered) {
            case .success(let names): tools = names
            case .failure(let problem): return .failure(problem)
            }
        case _?:
            return .failure(ArgumentProblem("'tools' must be an array of tool names, e.g. [\"read\", \"grep\"]"))
        }
        return .success(TaskArguments(description: description, prompt: prompt, tools: tools))
    }

    /// One line of plain text: no control or format characters (a newline, an escape sequence or
    /// a bidirectional override would forge what a terminal or an approval question shows).
    private static func descriptionProblem(_ description: String) -> String? {
        if description.allSatisfy(\.isWhitespace) { return "'description' is empty: give the task a few words" }
        if description.count > TaskLimits.maxDescriptionCharacters {
            return "'description' is \(description.count) characters; the limit is \(TaskLimits.maxDescriptionCharacters): a few words, the details go in 'prompt'"
        }
        if let bad = description.unicodeScalars.first(where: { [.control, .format].contains($0.properties.generalCategory) }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            return "'description' contains the control or format character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code): one line of plain text only"
        }
        return nil
    }

    private static func toolNames(_ values: [JSONValue], offered: [String]) -> Result<[String], ArgumentProblem> {
        var names: [String] = []
        for value in values {
            guard let name = value.stringValue else {
                return .failure(ArgumentProblem("'tools' must hold tool names as strings, e.g. [\"read\", \"grep\"]"))
            }
            if names.contains(name) { return .failure(ArgumentProblem("'tools' names '\(name)' twice")) }
            names.append(name)
        }
        if names.isEmpty {
            return .failure(ArgumentProblem("'tools' is empty: leave it out for \(CodingTools.readOnlyNames.joined(separator: ", ")), or name the tools"))
        }
        if names.contains(TaskTool.toolName) {
            return .failure(ArgumentProblem("a sub-agent cannot be given 'task': sub-agents do not delegate further"))
        }
        let unknown = names.filter { !offered.contains($0) }
        if !unknown.isEmpty {
            return .failure(
                ArgumentProblem(
                    "'tools' names \(unknown.map { "'\($0)'" }.joined(separator: ", ")), which this agent does not have; a sub-agent can be given only: \(offered.joined(separator: ", "))"))
        }
        return .success(offered.filter(names.contains))
    }
}
