import ArgumentParser
import PieLocal

/// `pie login PROVIDER KEY`: saves an API key in `~/.pie/auth.json` (mode 0600).
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Save an API key for a provider in ~/.pie/auth.json.")

    @Argument(help: "The provider, e.g. anthropic, openai, ds4.")
    var provider: String

    @Argument(help: "The API key (local servers accept any placeholder).")
    var key: String

    func run() throws {
        let store = try AuthCLI.store()
        do {
            try store.setKey(key, for: provider)
        } catch {
            printError("pie: \(error.description)")
            throw ExitCode.failure
        }
        print("Saved the key for \(provider) in \(store.path).")
    }
}

/// `pie logout PROVIDER`: removes a saved API key.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Remove a provider's saved API key from ~/.pie/auth.json.")

    @Argument(help: "The provider whose key to remove.")
    var provider: String

    func run() throws {
        let store = try AuthCLI.store()
        let removed: Bool
        do {
            removed = try store.removeKey(for: provider)
        } catch {
            printError("pie: \(error.description)")
            throw ExitCode.failure
        }
        print(removed ? "Removed the key for \(provider)." : "No key was saved for \(provider).")
    }
}

enum AuthCLI {
    static func store() throws -> AuthStore {
        guard let store = AuthStore(environment: PieEnvironment.process()) else {
            printError("pie: cannot find the state directory: set HOME or PIE_DIR")
            throw ExitCode.failure
        }
        return store
    }
}
