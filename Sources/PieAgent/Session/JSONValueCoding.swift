import FoundationEssentials

/// Why a `Codable` value could not be turned into a `JSONValue` or back.
public struct JSONCodingError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Bridges typed messages (PieLocal's `Codable` chat messages) to the session's opaque payloads.
///
/// Goes through JSON text on purpose: the session stores exactly what `JSONEncoder` produces, with
/// its key order, and reads back with `JSONDecoder`, so the session layer never needs the types.
extension JSONValue {
    public init(encoding value: some Encodable) throws(JSONCodingError) {
        let data: Data
        do {
            data = try JSONEncoder().encode(value)
        } catch {
            throw JSONCodingError(description: "could not encode \(type(of: value)): \(error)")
        }
        do {
            self = try data.withUnsafeBytes { raw throws(JSONParseError) in
                try JSONParser.parse(raw.bindMemory(to: UInt8.self))
            }
        } catch {
            throw JSONCodingError(description: "encoder produced invalid JSON: \(error)")
        }
    }

    public func decode<T: Decodable>(_ type: T.Type) throws(JSONCodingError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(JSONWriter.string(self).utf8))
        } catch {
            throw JSONCodingError(description: "could not decode \(type): \(error)")
        }
    }
}
