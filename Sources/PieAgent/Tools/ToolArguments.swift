import PieJSON
import PieLocal

/// Arguments that passed a tool's schema. Only `ToolArguments.validate` makes them, so a tool's
/// `execute` can read fields without re-checking types.
public struct ValidatedArguments: Sendable, Equatable {
    public let object: JSONObject

    init(_ object: JSONObject) {
        self.object = object
    }

    public func string(_ key: String) -> String? {
        if case .string(let value)? = object[key] { return value }
        return nil
    }

    public func integer(_ key: String) -> Int? {
        if case .number(let value)? = object[key] { return Int(exactly: value) }
        return nil
    }

    public func number(_ key: String) -> Double? {
        if case .number(let value)? = object[key] { return value }
        return nil
    }

    public func bool(_ key: String) -> Bool? {
        if case .bool(let value)? = object[key] { return value }
        return nil
    }

    public func array(_ key: String) -> [JSONValue]? {
        if case .array(let value)? = object[key] { return value }
        return nil
    }
}

/// Arguments a tool refused, with the text the model sees.
public struct ToolArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var tool: String
    /// One entry per problem, each naming the field and what was expected.
    public var problems: [String]

    public var description: String {
        "Invalid arguments for \(tool): " + problems.joined(separator: "; ")
    }
}

/// Turns a call's arguments into `ValidatedArguments`: parse the model's text strictly, apply the
/// tool's documented compatibility rewrite, then enforce the schema. Nothing runs on failure.
public enum ToolArguments {
    /// Validates the text exactly as the model sent it when the wire format streamed text, and
    /// the structured object as received when it sent one; neither is written out to be re-read.
    public static func validate(
        _ call: ToolCall, for tool: any AgentTool
    ) -> Result<ValidatedArguments, ToolArgumentError> {
        guard let raw = call.rawArguments else { return validate(call.arguments, for: tool) }
        return validate(Array(raw.utf8), for: tool)
    }

    public static func validate(
        _ raw: [UInt8], for tool: any AgentTool
    ) -> Result<ValidatedArguments, ToolArgumentError> {
        guard String(validating: raw, as: UTF8.self) != nil else {
            return .failure(ToolArgumentError(tool: tool.name, problems: ["arguments are not valid UTF-8"]))
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parseStrict(raw)
        } catch {
            return .failure(
                ToolArgumentError(tool: tool.name, problems: ["arguments are not valid JSON: \(error.description)"]))
        }
        return validate(parsed, for: tool)
    }

    public static func validate(
        _ value: JSONValue, for tool: any AgentTool
    ) -> Result<ValidatedArguments, ToolArgumentError> {
        guard case .object(var object) = value else {
            return .failure(
                ToolArgumentError(
                    tool: tool.name, problems: ["arguments must be a JSON object (got \(value.typeDescription))"]))
        }
        switch tool.prepareArguments(object) {
        case .success(let prepared): object = prepared
        case .failure(let problem): return .failure(ToolArgumentError(tool: tool.name, problems: [problem.message]))
        }
        let problems = tool.schema.validate(.object(object))
        guard problems.isEmpty else { return .failure(ToolArgumentError(tool: tool.name, problems: problems)) }
        return .success(ValidatedArguments(object))
    }
}

/// A problem found while rewriting legacy argument shapes, before schema validation.
public struct ArgumentProblem: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
