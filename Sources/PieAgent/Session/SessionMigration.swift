import PieJSON

/// Reads pi's older session versions as v3, in memory.
///
/// - v1 entries have no `id`/`parentId`: each gets an id derived from its position among the
///   file's JSON lines (the header is position 0) and is chained to the previous entry; a
///   compaction's `firstKeptEntryIndex` becomes the matching `firstKeptEntryId`.
/// - v2 messages with role `hookMessage` are read as role `custom`.
///
/// Unlike pi, the file is not rewritten: pie never rewrites history. The ids are deterministic,
/// so entries appended later (which reference them) stay linked on every load.
enum SessionMigration {
    /// The id a v1 entry at `position` gets: 8 hex digits like pi's random ids.
    static func legacyId(position: Int) -> String {
        let hex = String(position, radix: 16)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// Whether an entry read under a header of `version` needs upgrading.
    static func needsUpgrade(_ scalars: EntryScalars, version: Int) -> Bool {
        (version < 2 && scalars.id == nil) || (version < 3 && scalars.role == "hookMessage")
    }

    /// The v3 form of a legacy entry line, or nil when the line is not an object; throws when it
    /// does not parse (loading scans lines without decoding every string).
    static func upgrade(
        line: String, version: Int, position: Int, previousId: String?
    ) throws(JSONParseError) -> SessionEntry? {
        guard var object = try JSONParser.parseLine(line).objectValue else { return nil }
        if version < 3, var message = object["message"]?.objectValue, message["role"] == "hookMessage" {
            message["role"] = "custom"
            object["message"] = .object(message)
        }
        if version < 2, object["id"] == nil {
            var members = object.members.filter { $0.key != "id" && $0.key != "parentId" }
            let insertAt = members.firstIndex { $0.key == "type" }.map { $0 + 1 } ?? 0
            members.insert(contentsOf: [
                .init("id", .string(legacyId(position: position))),
                .init("parentId", previousId.map(JSONValue.string) ?? .null),
            ], at: insertAt)
            object = JSONObject(members)
            if let index = object["firstKeptEntryIndex"]?.intValue {
                object["firstKeptEntryIndex"] = nil
                if index >= 1 { object["firstKeptEntryId"] = .string(legacyId(position: index)) }
            }
        }
        return SessionEntry(line: JSONWriter.string(.object(object)))
    }
}
