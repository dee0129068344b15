import Glibc

/// ANSI styling that switches itself off for `NO_COLOR`, `TERM=dumb` and output that is not a terminal.
struct Style: Sendable {
    let enabled: Bool

    init(environment: [String: String], descriptor: Int32 = STDOUT_FILENO) {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        enabled = !noColor && environment["TERM"] != "dumb" && isatty(descriptor) == 1
    }

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
