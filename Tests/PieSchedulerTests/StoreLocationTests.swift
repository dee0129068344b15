import Testing

@testable import PieScheduler

/// `--store` and `PIE_AUTOMATIONS_STORE`: SQLite paths, PostgreSQL URLs, clear errors, and a
/// password that is never shown.
@Suite struct StoreLocationTests {
    @Test func sqliteForms() throws {
        #expect(try StoreLocation(parsing: "sqlite:/var/lib/pie/a.db") == .sqlite(path: "/var/lib/pie/a.db"))
        #expect(try StoreLocation(parsing: "/tmp/a.db") == .sqlite(path: "/tmp/a.db"))
        #expect(try StoreLocation(parsing: "relative.db") == .sqlite(path: "relative.db"))
    }

    @Test func postgresURL() throws {
        let location = try StoreLocation(parsing: "postgres://pie@db.internal:6543/automations")
        guard case .postgres(let url) = location else { Issue.record("\(location)"); return }
        #expect(url.user == "pie" && url.host == "db.internal" && url.port == 6543 && url.database == "automations")
        #expect(url.password == nil && url.description == "postgres://pie@db.internal:6543/automations")
        let defaults = try PostgresURL(parsing: "postgresql://pie@127.0.0.1/pie?sslmode=require")
        #expect(defaults.port == 5432 && defaults.sslMode == "require")
        let v6 = try PostgresURL(parsing: "postgres://pie@[::1]:5433/pie")
        #expect(v6.host == "::1" && v6.port == 5433 && v6.description == "postgres://pie@[::1]:5433/pie")
    }

    @Test("a password is used but never shown, also in errors")
    func passwordMasked() throws {
        let url = try PostgresURL(parsing: "postgres://pie:p%40ss%3Aword@db/pie")
        #expect(url.password == "p@ss:word")
        #expect(url.description == "postgres://pie:***@db:5432/pie")
        for bad in ["postgres://pie:hunter2@db:99999/pie", "postgres://pie:hunter2@db/pie?user=x", "postgres://pie:hunter2@db"] {
            do {
                _ = try StoreLocation(parsing: bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(!error.description.contains("hunter2"), "\(error.description)")
                #expect(error.description.contains("pie:***@db"), "\(error.description)")
            }
        }
    }

    @Test("bad locations name the problem")
    func errors() {
        let cases: [(String, String)] = [
            ("postgres://db/pie", "names no user"),
            ("postgres://pie@db", "names no database"),
            ("postgres://pie@:5432/pie", "names no host"),
            ("postgres://pie@db:x/pie", "port 'x'"),
            ("postgres://pie@db/pie?sslmode=sometimes", "query parameter 'sslmode'"),
            ("mysql://pie@db/pie", "'mysql://…' is not a store pie knows"),
            ("sqlite:", "names no file"),
            ("", "--store is empty"),
        ]
        for (text, expected) in cases {
            do {
                _ = try StoreLocation(parsing: text)
                Issue.record("accepted '\(text)'")
            } catch {
                #expect(error.description.contains(expected), "'\(text)': \(error.description)")
            }
        }
    }

    @Test func resolveOrder() throws {
        let environment = ["PIE_AUTOMATIONS_STORE": "postgres://pie@db/pie"]
        #expect(try StoreLocation.resolve(flag: "sqlite:/a.db", environment: environment, pieDirectory: "/home/u/.pie") == .sqlite(path: "/a.db"))
        #expect(try StoreLocation.resolve(flag: nil, environment: environment, pieDirectory: "/home/u/.pie")?.description == "postgres://pie@db:5432/pie")
        #expect(try StoreLocation.resolve(flag: nil, environment: [:], pieDirectory: "/home/u/.pie") == .sqlite(path: "/home/u/.pie/automations.db"))
        #expect(try StoreLocation.resolve(flag: nil, environment: [:], pieDirectory: nil) == nil)
        #expect(throws: StoreError.self) { try StoreLocation.resolve(flag: nil, environment: ["PIE_AUTOMATIONS_STORE": "x://y"], pieDirectory: nil) }
    }
}
