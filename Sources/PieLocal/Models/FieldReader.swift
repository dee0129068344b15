import PieJSON

/// Typed access to one model entry's fields, falling back to its provider's (pi form) and
/// producing `ModelsFile.FieldError`s that name the exact field.
struct FieldReader {
    let fields: JSONObject
    let inherited: JSONObject
    let path: String
    var anchor: String?

    func error(_ key: String, _ reason: String) -> ModelsFile.FieldError {
        ModelsFile.FieldError(field: "\(path).\(key)", reason: reason, anchor: anchor)
    }

    private func value(_ key: String) -> JSONValue? {
        if let own = fields[key], !own.isNull { return own }
        if let shared = inherited[key], !shared.isNull { return shared }
        return nil
    }

    func string(_ key: String) throws(ModelsFile.FieldError) -> String? {
        guard let raw = value(key) else { return nil }
        guard let text = raw.stringValue else { throw error(key, "must be a string") }
        return text
    }

    func requiredString(_ key: String) throws(ModelsFile.FieldError) -> String {
        guard let text = try string(key), !text.isEmpty else { throw error(key, "is required") }
        return text
    }

    func bool(_ key: String) throws(ModelsFile.FieldError) -> Bool? {
        guard let raw = value(key) else { return nil }
        guard let flag = raw.boolValue else { throw error(key, "must be true or false") }
        return flag
    }

    func positiveInt(_ key: String) throws(ModelsFile.FieldError) -> Int? {
        guard let raw = value(key) else { return nil }
        guard let number = raw.intValue, number > 0 else { throw error(key, "must be a positive integer") }
        return number
    }

    func input() throws(ModelsFile.FieldError) -> [String] {
        guard let raw = value("input") else { return ["text"] }
        guard let items = raw.arrayValue else { throw error("input", "must be an array of \"text\" and \"image\"") }
        var kinds: [String] = []
        for item in items {
            guard let kind = item.stringValue, kind == "text" || kind == "image" else {
                throw error("input", "entries must be \"text\" or \"image\"")
            }
            kinds.append(kind)
        }
        return kinds.isEmpty ? ["text"] : kinds
    }

    func cost() throws(ModelsFile.FieldError) -> ModelPricing {
        guard let raw = value("cost") else { return .free }
        guard let table = raw.objectValue else { throw error("cost", "must be an object of prices per million tokens") }
        func price(_ key: String) throws(ModelsFile.FieldError) -> Double {
            guard let entry = table[key] else { return 0 }
            guard let number = entry.doubleValue, number >= 0 else {
                throw error("cost.\(key)", "must be a non-negative number (USD per million tokens)")
            }
            return number
        }
        return ModelPricing(
            input: try price("input"), output: try price("output"), cacheRead: try price("cacheRead"),
            cacheWrite: try price("cacheWrite"))
    }

    /// Model headers merged over provider headers.
    func headers() throws(ModelsFile.FieldError) -> [String: String] {
        var merged: [String: String] = [:]
        for source in [inherited["headers"], fields["headers"]] {
            guard let source, !source.isNull else { continue }
            guard let table = source.objectValue else { throw error("headers", "must be an object of strings") }
            for (name, value) in table {
                guard let text = value.stringValue else { throw error("headers.\(name)", "must be a string") }
                merged[name] = text
            }
        }
        return merged
    }

    func thinkingLevelMap() throws(ModelsFile.FieldError) -> [ThinkingLevel: String?] {
        guard let raw = value("thinkingLevelMap") else { return [:] }
        guard let table = raw.objectValue else { throw error("thinkingLevelMap", "must be an object") }
        var map: [ThinkingLevel: String?] = [:]
        for (name, value) in table {
            guard let level = ThinkingLevel(rawValue: name) else {
                throw error("thinkingLevelMap.\(name)", "unknown level; use off, minimal, low, medium, high or xhigh")
            }
            if value.isNull {
                map[level] = .some(nil)
            } else if let text = value.stringValue {
                map[level] = text
            } else {
                throw error("thinkingLevelMap.\(name)", "must be a string or null")
            }
        }
        return map
    }

    /// Model compat merged over provider compat.
    func compat() throws(ModelsFile.FieldError) -> CompatFlags {
        var flags = CompatFlags()
        for source in [inherited["compat"], fields["compat"]] {
            guard let source, !source.isNull else { continue }
            guard let table = source.objectValue else { throw error("compat", "must be an object") }
            flags = flags.merged(with: try compatFlags(table))
        }
        return flags
    }

    private func compatFlags(_ table: JSONObject) throws(ModelsFile.FieldError) -> CompatFlags {
        func flag(_ key: String) throws(ModelsFile.FieldError) -> Bool? {
            guard let raw = table[key], !raw.isNull else { return nil }
            guard let value = raw.boolValue else { throw error("compat.\(key)", "must be true or false") }
            return value
        }
        var flags = CompatFlags(
            supportsStore: try flag("supportsStore"), supportsDeveloperRole: try flag("supportsDeveloperRole"),
            supportsReasoningEffort: try flag("supportsReasoningEffort"),
            supportsUsageInStreaming: try flag("supportsUsageInStreaming"),
            supportsStrictMode: try flag("supportsStrictMode"), requiresToolResultName: try flag("requiresToolResultName"),
            requiresAssistantAfterToolResult: try flag("requiresAssistantAfterToolResult"),
            requiresThinkingAsText: try flag("requiresThinkingAsText"),
            requiresReasoningContentOnAssistantMessages: try flag("requiresReasoningContentOnAssistantMessages"))
        if let raw = table["maxTokensField"], !raw.isNull {
            guard let name = raw.stringValue, let field = CompatFlags.MaxTokensField(rawValue: name) else {
                throw error("compat.maxTokensField", "must be \"max_tokens\" or \"max_completion_tokens\"")
            }
            flags.maxTokensField = field
        }
        if let raw = table["thinkingFormat"], !raw.isNull {
            guard let name = raw.stringValue, let format = CompatFlags.ThinkingFormat(rawValue: name) else {
                let names = CompatFlags.ThinkingFormat.allCases.map(\.rawValue).joined(separator: ", ")
                throw error("compat.thinkingFormat", "must be one of \(names)")
            }
            flags.thinkingFormat = format
        }
        return flags
    }
}
