/// Checks a value against compiled nodes and collects every problem. Terminates on every value:
/// the compiler refused loops that never descend, and every other edge leads into a member or an
/// item of a finite value.
struct JSONSchemaValidator {
    let nodes: [JSONSchemaNode]
    /// How paths inside `anyOf`/`oneOf` summaries start (`arguments`).
    let root: String
    var patterns = JSONSchemaPatternCache()
    /// Checks in progress, one inside the other.
    private var depth = 0

    /// Past this depth a value is reported as not checkable rather than checked, so a deep value
    /// against a recursive schema cannot exhaust the stack; refusing is the safe answer.
    static let maxDepth = 400

    init(nodes: [JSONSchemaNode], root: String) {
        self.nodes = nodes
        self.root = root
    }

    mutating func check(_ value: JSONValue, _ index: Int, path: String, into problems: inout [JSONSchemaProblem]) {
        guard depth < Self.maxDepth else {
            problems.append(JSONSchemaProblem(path: path, message: "nested too deeply to check (more than \(Self.maxDepth) levels of schema)"))
            return
        }
        depth += 1
        defer { depth -= 1 }
        let node = nodes[index]
        if let constant = node.constant {
            if !constant { problems.append(JSONSchemaProblem(path: path, message: "no value is allowed here, got \(value.problemPhrase)")) }
            return
        }
        if let types = node.types, !types.contains(where: { $0.admits(value) }) {
            problems.append(
                JSONSchemaProblem(
                    path: path, message: "expected \(JSONSchemaProblem.phrase(types)), got \(value.problemPhrase)",
                    expectedTypes: types))
            return
        }
        if let enumeration = node.enumeration, !enumeration.contains(value) {
            let shown = enumeration.prefix(12).map(\.shortRendering).joined(separator: ", ")
            let more = enumeration.count > 12 ? ", … (\(enumeration.count) values)" : ""
            problems.append(JSONSchemaProblem(path: path, message: "expected one of \(shown)\(more), got \(value.problemPhrase)"))
        }
        if let constValue = node.constValue, constValue != value {
            problems.append(JSONSchemaProblem(path: path, message: "expected exactly \(constValue.shortRendering), got \(value.problemPhrase)"))
        }
        switch value {
        case .object(let object): checkObject(object, node, path: path, into: &problems)
        case .array(let items): checkArray(items, node, path: path, into: &problems)
        case .string(let text): checkString(text, node, path: path, into: &problems)
        case .number(let number): checkNumber(number, node, path: path, into: &problems)
        case .null, .bool: break
        }
        checkApplicators(value, node, path: path, into: &problems)
    }

    private mutating func checkObject(
        _ object: JSONObject, _ node: JSONSchemaNode, path: String, into problems: inout [JSONSchemaProblem]
    ) {
        for name in node.required where object[name] == nil {
            problems.append(JSONSchemaProblem(path: path, message: "missing required property \(JSONValue.string(name).rendered)"))
        }
        if let minimum = node.minProperties, object.count < minimum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at least \(Self.count(minimum, "property", "properties")), got \(object.count)"))
        }
        if let maximum = node.maxProperties, object.count > maximum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at most \(Self.count(maximum, "property", "properties")), got \(object.count)"))
        }
        for member in object.members {
            let memberPath = JSONSchemaProblem.member(member.key, of: path)
            var matched = false
            for property in node.properties where property.name == member.key {
                matched = true
                check(member.value, property.node, path: memberPath, into: &problems)
            }
            for patterned in node.patternProperties {
                switch patterns.matches(patterned.pattern, member.key) {
                case true?:
                    matched = true
                    check(member.value, patterned.node, path: memberPath, into: &problems)
                case false?:
                    continue
                case nil:
                    matched = true
                    problems.append(JSONSchemaProblem(path: path, message: "property name \(JSONValue.quotedPrefix(member.key)) " + Self.tooLong(patterned.pattern)))
                }
            }
            if !matched, let additional = node.additionalProperties {
                if nodes[additional].constant == false {
                    problems.append(JSONSchemaProblem(path: path, message: "unexpected property \(JSONValue.string(member.key).rendered)\(allowedNames(node))"))
                } else {
                    check(member.value, additional, path: memberPath, into: &problems)
                }
            }
            if let names = node.propertyNames {
                var nameProblems: [JSONSchemaProblem] = []
                check(.string(member.key), names, path: path, into: &nameProblems)
                for problem in nameProblems {
                    problems.append(JSONSchemaProblem(path: path, message: "property name \(JSONValue.string(member.key).rendered): \(problem.message)"))
                }
            }
        }
    }

    /// " (allowed: a, b)", so the model can correct a misspelt name.
    private func allowedNames(_ node: JSONSchemaNode) -> String {
        var parts = node.properties.map(\.name)
        parts += node.patternProperties.map { "names matching /\($0.pattern.source)/" }
        return parts.isEmpty ? " (no properties are allowed)" : " (allowed: \(parts.joined(separator: ", ")))"
    }

    private mutating func checkArray(
        _ items: [JSONValue], _ node: JSONSchemaNode, path: String, into problems: inout [JSONSchemaProblem]
    ) {
        if let minimum = node.minItems, items.count < minimum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at least \(Self.count(minimum, "item", "items")), got \(items.count)"))
        }
        if let maximum = node.maxItems, items.count > maximum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at most \(Self.count(maximum, "item", "items")), got \(items.count)"))
        }
        if node.uniqueItems, let (first, second) = Self.firstRepeat(items) {
            problems.append(JSONSchemaProblem(path: path, message: "expected unique items, but items [\(first)] and [\(second)] are equal"))
        }
        for (offset, item) in items.enumerated() {
            let schema = offset < node.prefixItems.count ? node.prefixItems[offset] : node.items
            guard let schema else { continue }
            check(item, schema, path: JSONSchemaProblem.item(offset, of: path), into: &problems)
        }
    }

    /// JSON equality (`1` equals `1.0`, member order does not count), pair by pair: arrays in
    /// arguments are short.
    private static func firstRepeat(_ items: [JSONValue]) -> (Int, Int)? {
        for second in items.indices {
            for first in 0..<second where items[first] == items[second] { return (first, second) }
        }
        return nil
    }

    private mutating func checkString(
        _ text: String, _ node: JSONSchemaNode, path: String, into problems: inout [JSONSchemaProblem]
    ) {
        // JSON Schema counts characters as code points: Unicode scalars, not grapheme clusters.
        let length = text.unicodeScalars.count
        if let minimum = node.minLength, length < minimum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at least \(Self.count(minimum, "character", "characters")), got \(length)"))
        }
        if let maximum = node.maxLength, length > maximum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at most \(Self.count(maximum, "character", "characters")), got \(length)"))
        }
        if let pattern = node.pattern {
            switch patterns.matches(pattern, text) {
            case true?:
                break
            case false?:
                problems.append(JSONSchemaProblem(path: path, message: "expected a string matching /\(pattern.source)/, got the string \(JSONValue.quotedPrefix(text))"))
            case nil:
                problems.append(JSONSchemaProblem(path: path, message: "the string " + Self.tooLong(pattern)))
            }
        }
    }

    /// Why a string was not matched against `pattern`.
    private static func tooLong(_ pattern: JSONSchemaPattern) -> String {
        "is too long to check against /\(pattern.source)/ (more than \(pattern.lengthLimit ?? 0) characters: "
            + "matching longer strings could take too long)"
    }

    private func checkNumber(_ number: Double, _ node: JSONSchemaNode, path: String, into problems: inout [JSONSchemaProblem]) {
        let got = JSONWriter.number(number)
        if let minimum = node.minimum, number < minimum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at least \(JSONWriter.number(minimum)), got \(got)"))
        }
        if let maximum = node.maximum, number > maximum {
            problems.append(JSONSchemaProblem(path: path, message: "expected at most \(JSONWriter.number(maximum)), got \(got)"))
        }
        if let bound = node.exclusiveMinimum, number <= bound {
            problems.append(JSONSchemaProblem(path: path, message: "expected more than \(JSONWriter.number(bound)), got \(got)"))
        }
        if let bound = node.exclusiveMaximum, number >= bound {
            problems.append(JSONSchemaProblem(path: path, message: "expected less than \(JSONWriter.number(bound)), got \(got)"))
        }
        if let divisor = node.multipleOf, !Self.isMultiple(number, of: divisor) {
            problems.append(JSONSchemaProblem(path: path, message: "expected a multiple of \(JSONWriter.number(divisor)), got \(got)"))
        }
    }

    /// An integral divisor divides exactly (the remainder of two doubles is exact); a fractional
    /// one by whether the quotient is integral, so `0.5` is a multiple of `0.1` although neither is
    /// exact in binary (the rule Python's `jsonschema` uses). A quotient too large to be a double
    /// falls back to the exact remainder.
    static func isMultiple(_ number: Double, of divisor: Double) -> Bool {
        guard number.isFinite else { return false }
        if divisor.rounded() == divisor { return number.truncatingRemainder(dividingBy: divisor) == 0 }
        let quotient = number / divisor
        guard quotient.isFinite else { return number.truncatingRemainder(dividingBy: divisor) == 0 }
        return quotient.rounded(.towardZero) == quotient
    }

    private mutating func checkApplicators(
        _ value: JSONValue, _ node: JSONSchemaNode, path: String, into problems: inout [JSONSchemaProblem]
    ) {
        if let reference = node.reference { check(value, reference, path: path, into: &problems) }
        for schema in node.allOf { check(value, schema, path: path, into: &problems) }
        if let alternatives = node.anyOf {
            let failures = alternatives.map { problemsOf(value, $0, path: path) }
            if !failures.contains(where: \.isEmpty) {
                problems += summary(failures, keyword: "anyOf", value: value, path: path)
            }
        }
        if let alternatives = node.oneOf {
            let failures = alternatives.map { problemsOf(value, $0, path: path) }
            let passing = failures.indices.filter { failures[$0].isEmpty }
            if passing.isEmpty {
                problems += summary(failures, keyword: "oneOf", value: value, path: path)
            } else if passing.count > 1 {
                let numbers = passing.map { String($0 + 1) }
                problems.append(
                    JSONSchemaProblem(
                        path: path,
                        message: "matches alternatives \(numbers.dropLast().joined(separator: ", ")) and \(numbers.last ?? "") of oneOf, but must match exactly one"))
            }
        }
        if let not = node.not, problemsOf(value, not, path: path).isEmpty {
            problems.append(JSONSchemaProblem(path: path, message: "must not match the schema under 'not', got \(value.problemPhrase)"))
        }
    }

    private mutating func problemsOf(_ value: JSONValue, _ index: Int, path: String) -> [JSONSchemaProblem] {
        var found: [JSONSchemaProblem] = []
        check(value, index, path: path, into: &found)
        return found
    }

    /// Why no alternative matched, told as helpfully as the failures allow: alternatives that
    /// failed only on the value's type become one "expected a string or null"; when the value has
    /// the type of exactly one alternative, that alternative's own problems are the answer.
    private func summary(
        _ failures: [[JSONSchemaProblem]], keyword: String, value: JSONValue, path: String
    ) -> [JSONSchemaProblem] {
        let wrongType = { (problems: [JSONSchemaProblem]) in
            problems.count == 1 && problems[0].path == path && problems[0].expectedTypes != nil
        }
        let relevant = failures.filter { !wrongType($0) }
        if relevant.isEmpty {
            let types = failures.flatMap { $0.first?.expectedTypes ?? [] }
            return [
                JSONSchemaProblem(
                    path: path, message: "expected \(JSONSchemaProblem.phrase(types)), got \(value.problemPhrase)", expectedTypes: types)
            ]
        }
        if relevant.count == 1 { return relevant[0] }
        let told = relevant.enumerated().map { offset, problems in
            "(\(offset + 1)) " + problems.map { $0.rendered(root: root) }.joined(separator: "; ")
        }
        return [
            JSONSchemaProblem(
                path: path, message: "matches none of the \(failures.count) alternatives of \(keyword): " + told.joined(separator: " "))
        ]
    }

    private static func count(_ number: Int, _ singular: String, _ plural: String) -> String {
        "\(number) \(number == 1 ? singular : plural)"
    }
}
