/// The script a command hook runs as, inside the sandbox: it writes the payload to a fresh file
/// in the sandbox's own temporary directory (so it is readable there whatever the policy shows of
/// the host, and gone with the sandbox), removes it when the hook ends, exports the `PIE_*`
/// variables, and runs the user's command with `sh -c`, standard input closed. Standard output is
/// discarded; standard error is what pie shows (and, for `pre_tool` exit 2, the model).
///
/// Variables travel in the script rather than the spawn's environment: the sandboxed shell
/// passes only an allowlist of variables, which is right for the model's commands and is kept.
enum HookScript {
    /// The status the script exits with when it could not write the payload file.
    static let setupFailed: Int32 = 125

    static func make(command: String, payload: String, variables: [(name: String, value: String)]) -> String {
        let exports = variables.map { "\($0.name)=\(quoted($0.value))" }.joined(separator: " ")
        return """
            PIE_HOOK_PAYLOAD=$(mktemp "${TMPDIR:-/tmp}/pie-hook.XXXXXX") || exit \(setupFailed)
            trap 'rm -f -- "$PIE_HOOK_PAYLOAD"' EXIT
            printf '%s\\n' \(quoted(payload)) > "$PIE_HOOK_PAYLOAD" || exit \(setupFailed)
            export PIE_HOOK_PAYLOAD \(exports)
            /bin/sh -c \(quoted(command)) </dev/null >/dev/null
            """
    }

    /// `text` as one single-quoted shell word; NUL bytes, which no argument can hold, are dropped.
    static func quoted(_ text: String) -> String {
        "'" + text.replacing("\u{0}", with: "").replacing("'", with: "'\\''") + "'"
    }
}
