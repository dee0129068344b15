import PieJSON

/// Reads a models.json in either accepted form:
/// - pie's flat form: `{"models": [{id, api, provider, baseUrl, …}]}`;
/// - pi's nested form: `{"providers": {"name": {baseUrl, api, apiKey, headers, compat, models: [{id, …}]}}}`,
///   where each model inherits its provider's fields (and merges `headers` and `compat`).
///
/// Missing optional fields get pie's defaults (name = id, context 128k, 16,384 max tokens,
/// text input, zero cost, no reasoning). Unknown keys are ignored for forward compatibility;
/// a wrong type or value is an error naming the file, line and field.
public enum ModelsFile {
    /// An API key or header value from pi's form: an environment variable name or a literal.
    public struct ProviderKey: Sendable, Hashable {
        public var provider: String
        public var value: String
    }

    public struct Contents: Sendable, Hashable {
        public var models: [ModelDescriptor]
        public var providerKeys: [ProviderKey]
    }

    struct FieldError: Error {
        var field: String
        var reason: String
        /// A string near the field (a model id or provider name) to find its line.
        var anchor: String?
    }

    public static func parse(_ bytes: [UInt8], path: String) throws(ModelsFileError) -> Contents {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw ModelsFileError(path: path, line: line(ofOffset: error.offset ?? 0, in: bytes), field: "(syntax)", reason: error.reason)
        }
        do {
            return try decode(root, source: .file(path: path))
        } catch {
            throw ModelsFileError(path: path, line: line(of: error, in: bytes), field: error.field, reason: error.reason)
        }
    }

    private static func decode(_ root: JSONValue, source: ModelSource) throws(FieldError) -> Contents {
        guard let top = root.objectValue else {
            throw FieldError(field: "(top level)", reason: "expected an object with \"models\" or \"providers\"")
        }
        guard top["models"] != nil || top["providers"] != nil else {
            throw FieldError(field: "(top level)", reason: "expected \"models\" (pie form) or \"providers\" (pi form)")
        }
        var contents = Contents(models: [], providerKeys: [])
        if let models = top["models"] {
            guard let entries = models.arrayValue else { throw FieldError(field: "models", reason: "must be an array") }
            for (index, entry) in entries.enumerated() {
                contents.models.append(try model(entry, path: "models[\(index)]", inherited: [:], providerName: nil, source: source))
            }
        }
        if let providers = top["providers"] {
            guard let table = providers.objectValue else { throw FieldError(field: "providers", reason: "must be an object") }
            for name in table.keys.sorted() {
                guard let config = table[name]?.objectValue else {
                    throw FieldError(field: "providers.\(name)", reason: "must be an object", anchor: name)
                }
                let path = "providers.\(name)"
                if let key = config["apiKey"] {
                    guard let value = key.stringValue else {
                        throw FieldError(field: "\(path).apiKey", reason: "must be a string", anchor: name)
                    }
                    contents.providerKeys.append(ProviderKey(provider: name, value: value))
                }
                guard let models = config["models"] else { continue }
                guard let entries = models.arrayValue else {
                    throw FieldError(field: "\(path).models", reason: "must be an array", anchor: name)
                }
                for (index, entry) in entries.enumerated() {
                    contents.models.append(
                        try model(entry, path: "\(path).models[\(index)]", inherited: config, providerName: name, source: source))
                }
            }
        }
        return contents
    }

    private static func model(
        _ entry: JSONValue, path: String, inherited: JSONObject, providerName: String?, source: ModelSource
    ) throws(FieldError) -> ModelDescriptor {
        guard let fields = entry.objectValue else { throw FieldError(field: path, reason: "must be an object") }
        var reader = FieldReader(fields: fields, inherited: inherited, path: path, anchor: nil)
        let id = try reader.requiredString("id")
        reader.anchor = id
        let provider: String
        if let providerName {
            provider = providerName
        } else {
            provider = try reader.requiredString("provider")
        }
        let apiName = try reader.requiredString("api")
        guard let api = WireAPI(rawValue: apiName) else {
            throw reader.error("api", "unknown api \"\(apiName)\"; use one of \(WireAPI.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let baseURL = try reader.requiredString("baseUrl")
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw reader.error("baseUrl", "must start with http:// or https://")
        }
        return ModelDescriptor(
            id: id, name: try reader.string("name") ?? id, api: api, provider: provider, baseURL: baseURL,
            reasoning: try reader.bool("reasoning") ?? false, thinkingLevelMap: try reader.thinkingLevelMap(),
            input: try reader.input(), cost: try reader.cost(),
            contextWindow: try reader.positiveInt("contextWindow") ?? ModelDescriptor.defaultContextWindow,
            maxTokens: try reader.positiveInt("maxTokens") ?? ModelDescriptor.defaultMaxTokens,
            headers: try reader.headers(), compat: try reader.compat(), source: source)
    }

    static func line(ofOffset offset: Int, in bytes: [UInt8]) -> Int {
        bytes.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// Finds the field's line: the first `"field"` key after the entry's anchor (its id or
    /// provider name), or the anchor itself.
    private static func line(of error: FieldError, in bytes: [UInt8]) -> Int {
        let key = error.field.split(separator: ".").last.map { String($0.prefix(while: { $0 != "[" })) } ?? ""
        var start = 0
        if let anchor = error.anchor, let found = bytes.firstRange(of: Array("\"\(anchor)\"".utf8)) {
            start = found.lowerBound
        }
        if let found = bytes[start...].firstRange(of: Array("\"\(key)\"".utf8)) {
            return line(ofOffset: found.lowerBound, in: bytes)
        }
        return line(ofOffset: start, in: bytes)
    }
}
