import CPostgres

/// Opens libpq at run time (docs/automations.md, "Many workers"): pie does not link it, so only a
/// process that opens a PostgreSQL store maps it, and a machine without libpq5 runs everything
/// else. Repeated calls are cheap once it is loaded.
enum PostgresLibrary {
    /// The soname of Debian's libpq5, whose headers (libpq-dev) pie is built against.
    static let defaultName = "libpq.so.5"

    static func load(named name: String = defaultName) throws(PostgresError) {
        var reason = [CChar](repeating: 0, count: 512)
        let loaded = reason.withUnsafeMutableBufferPointer { buffer in cpq_load(name, buffer.baseAddress, buffer.count) }
        guard loaded == 1 else {
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PostgresError(kind: .library, message: "\(name): \(text)")
        }
    }
}
