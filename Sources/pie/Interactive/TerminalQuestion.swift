import Glibc
import PieAgent
import PieSystem

/// The interactive prompt's approver: the held call is shown on standard error and one line is
/// read from standard input (nobody else reads it while a turn runs; the line editor only
/// reads at the prompt). The read blocks, so it runs on its own thread, off the cooperative pool.
enum TerminalQuestion {
    static func approver(style: Style) -> PromptApprover {
        PromptApprover { question in
            writeAll(STDERR_FILENO, "\n" + style.yellow(question))
            return await readLine()
        }
    }

    /// A question of pie's own (`/memory remove`), asked the way approvals are.
    static func ask(style: Style) -> (String) async -> String? {
        { question in
            writeAll(STDERR_FILENO, style.yellow(question))
            return await readLine()
        }
    }

    /// One line from standard input without its newline; nil at end of input or on an error.
    private static func readLine() async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let started = DetachedThread.start {
                var bytes: [UInt8] = []
                var byte: UInt8 = 0
                while true {
                    let count = read(STDIN_FILENO, &byte, 1)
                    if count < 0, errno == EINTR { continue }
                    guard count == 1 else {
                        continuation.resume(returning: bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self))
                        return
                    }
                    if byte == UInt8(ascii: "\n") { break }
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
            if !started { continuation.resume(returning: nil) }
        }
    }
}
