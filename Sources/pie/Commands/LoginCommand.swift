import ArgumentParser
import PieLocal

/// `pie login PROVIDER KEY`: saves an API key in `~/.pie/auth.json` (mode 0600, atomic writes).
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Save an API key for a provider in ~/.pie/auth.json.")

    @Argument(help: "The provider, e.g. anthropic, openai, ds4.")
    var provider: String

    @Argument(help: "The API key (local servers accept any placeholder).")
    var key: String

    func run() throws {
        try AuthCommands.login(provider: provider, key: key, environment: ProcessContext.environment())
    }
}

/// `pie logout PROVIDER`: removes a saved API key.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Remove a provider's saved API key from ~/.pie/auth.json.")

    @Argument(help: "The provider whose key to remove.")
    var provider: String

    func run() throws {
        try AuthCommands.logout(provider: provider, environment: ProcessContext.environment())
    }
}

/// Saving and removing keys, shared by `pie login`/`pie logout` and `/login`/`/logout`.
enum AuthCommands {
    static func login(provider: String, key: String, environment: [String: String]) throws(PieExit) {
        let store = try store(environment)
        do {
            try store.setKey(key, for: provider)
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        print("Saved the key for \(provider) in \(store.path).")
    }

    static func logout(provider: String, environment: [String: String]) throws(PieExit) {
        let store = try store(environment)
        let removed: Bool
        do {
            removed = try store.removeKey(for: provider)
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        print(removed ? "Removed the key for \(provider)." : "No key was saved for \(provider).")
    }

    private static func store(_ environment: [String: String]) throws(PieExit) -> AuthStore {
        guard let store = AuthStore(environment: PieEnvironment(environment)) else {
            throw PieExit(code: 1, message: "cannot find the state directory: set HOME or PIE_DIR")
        }
        return store
    }
}
