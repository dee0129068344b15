import PieSystem

/// `${NAME}` in a webhook URL or header value, replaced from pie's environment when the hook
/// runs, so a token or a Slack URL (whose path is its secret) need not be written in the file.
/// Only `${NAME}` is special (no `$NAME`, no defaults): a URL's own `$` stays as written. An
/// unset or empty variable fails the run rather than sending an empty credential.
enum HookExpansion {
    static func expand(_ text: String, environment: [String: String]) throws(HookExpansionError) -> String {
        try VariableReferences.expand(text, unclosed: { .unclosed(text: String($0)) }) { name throws(HookExpansionError) in
            guard let value = environment[name], !value.isEmpty else { throw .unset(name: name) }
            return value
        }
    }
}

/// A `${NAME}` that cannot be filled; never shows a value.
enum HookExpansionError: Error, Sendable, Equatable, CustomStringConvertible {
    case unset(name: String)
    case unclosed(text: String)

    var description: String {
        switch self {
        case .unset(let name): "the environment variable \(name) is not set (the webhook names ${\(name)}); set it where pie runs"
        case .unclosed: "a ${ in the webhook or a header is not closed with }; write ${NAME}"
        }
    }
}

/// The host of a webhook URL: all the audit log and messages say about where a payload went.
public enum WebhookHost {
    public static func of(_ url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return String(authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority)
    }
}
