/// A validated value of one `PolicyField`.
public enum PolicyValue: Sendable, Equatable {
    case integer(Int)
    case boolean(Bool)
    case string(String)
    case list([String])

    var integer: Int? { if case .integer(let v) = self { v } else { nil } }
    var boolean: Bool? { if case .boolean(let v) = self { v } else { nil } }
    var string: String? { if case .string(let v) = self { v } else { nil } }
    var list: [String]? { if case .list(let v) = self { v } else { nil } }
}

extension PolicyField {
    /// Parses a value written as text (an environment variable or a flag argument).
    ///
    /// Lists are comma-separated. Integers accept `_` separators as in TOML. Errors name the value
    /// and the valid choices.
    public func parse(text: String) -> Result<PolicyValue, PolicyValueError> {
        switch kind {
        case .integer(let range):
            guard let number = Int(text.filter { $0 != "_" }) else {
                return .failure(PolicyValueError(field: self, message: "'\(text)' is not a whole number; expected \(range.lowerBound)...\(range.upperBound)"))
            }
            return check(integer: number)
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .success(.boolean(true))
            case "false", "0", "no", "off": return .success(.boolean(false))
            default:
                return .failure(PolicyValueError(field: self, message: "'\(text)' is not a boolean; expected true or false"))
            }
        case .choice(let choices):
            guard choices.contains(text) else {
                return .failure(PolicyValueError(field: self, message: "'\(text)' is not one of \(choices.joined(separator: ", "))"))
            }
            return .success(.string(text))
        case .string:
            return .success(.string(text))
        case .list:
            let items = text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            return check(list: items)
        }
    }

    /// Lists whose entries have a syntax of their own: the `[mcp]` patterns.
    public func check(list items: [String]) -> Result<PolicyValue, PolicyValueError> {
        switch self {
        case .mcpAllow, .mcpAsk, .mcpDeny:
            if let problem = items.lazy.compactMap(MCPToolRules.problem(with:)).first {
                return .failure(PolicyValueError(field: self, message: problem))
            }
        default:
            break
        }
        return .success(.list(items))
    }

    func check(integer number: Int) -> Result<PolicyValue, PolicyValueError> {
        guard case .integer(let range) = kind else {
            return .failure(PolicyValueError(field: self, message: "expected \(kind.expectation), got an integer"))
        }
        guard range.contains(number) else {
            return .failure(PolicyValueError(field: self, message: "\(number) is out of range; expected \(range.lowerBound)...\(range.upperBound)"))
        }
        return .success(.integer(number))
    }
}

extension PolicyField.Kind {
    /// How the expected value is described in error messages.
    var expectation: String {
        switch self {
        case .integer(let range): "an integer in \(range.lowerBound)...\(range.upperBound)"
        case .boolean: "true or false"
        case .choice(let choices): "one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .string: "a string"
        case .list: "an array of strings"
        }
    }
}

/// A value that does not fit its field.
public struct PolicyValueError: Error, Sendable, Equatable {
    public var field: PolicyField
    public var message: String
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return String(s)
    }
}
