import Glibc
import PieAgent
import PieHooks
import PiePolicy
import PieRuntime

/// `pie -p PROMPT` (or `--prompt-file`, or a piped prompt): one prompt, run to the end, then exit.
/// Exit codes: 0 done, 1 the run failed, 130 interrupted.
enum OneShot {
    static func run(
        prompt: String, images: [ImageAttachment] = [], agent: AssembledAgent, printer: EventPrinter
    ) async throws(PieExit) {
        var agent = agent
        // Before any request: a text-only model or images over the caps end the run here.
        do {
            try agent.checkImages(images)
        } catch {
            throw PieExit.usage(error.description)
        }
        let lifecycle = agent.lifecycle
        // Ctrl+C is caught before the run starts: a reply can stream (and the user press Ctrl+C)
        // before a handler installed after the task was created would be in place.
        let canceller = PendingCancellation()
        let interrupt = InterruptSignal { canceller.cancel() }
        let task = Task { await agent.sendShowingDiagnostics(prompt, images: images) }
        canceller.attach(task)
        let result = await task.value
        interrupt.cancel()
        // The agent_end hooks were queued as the run ended; they run (each within its
        // timeout_ms) before pie exits. Ctrl+C meanwhile ends pie at once (SIGINT's default).
        await lifecycle?.drain()
        printer.finishLine()
        switch result.outcome {
        case .completed, .stoppedByHook:
            return
        case .aborted:
            throw PieExit(code: 130, message: "interrupted; the session keeps everything up to the interruption")
        case .timedOut:
            throw PieExit(code: 1, message: "the prompt took longer than --turn-timeout-ms and was stopped")
        case .maxTurnsReached(let turns):
            throw PieExit(code: 1, message: "stopped after --max-turns \(turns) model calls; the model wanted more")
        case .failed:
            // The printer already showed the failed reply (text mode) or its event (json mode).
            throw PieExit(code: 1)
        }
    }

    /// The images of `--image`, each read and recognised now, so a wrong path or a file that is
    /// not an image stops pie before anything starts.
    static func images(_ options: RunOptions) throws(PieExit) -> [ImageAttachment] {
        var images: [ImageAttachment] = []
        for path in options.images {
            do {
                images.append(try ImageFileReader.read(path))
            } catch {
                throw PieExit.usage("--image: \(error)")
            }
        }
        do {
            try ImageAttachment.checkTotal(images)
        } catch {
            throw PieExit.usage("--image: \(error)")
        }
        return images
    }

    /// The prompt from `-p`, `--prompt-file` (`-` is standard input) or piped standard input.
    static func prompt(_ options: RunOptions) throws(PieExit) -> String? {
        if options.prompt != nil, options.promptFile != nil {
            throw PieExit.usage("give the prompt with -p or --prompt-file, not both")
        }
        if let prompt = options.prompt { return prompt }
        if let file = options.promptFile {
            let text = file == "-" ? try readStandardInput() : readFile(file)
            guard let text else { throw PieExit.usage("--prompt-file: cannot read '\(file)'") }
            return text
        }
        if isatty(STDIN_FILENO) == 0 { return try readStandardInput() }
        return nil
    }

    /// The most standard input read as a prompt: far beyond any model's context, and small enough
    /// that `pie < /dev/zero` stops with an error instead of filling memory.
    static let maxStandardInputBytes = 16 << 20

    private static func readStandardInput() throws(PieExit) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
            if bytes.count > maxStandardInputBytes {
                throw PieExit.usage(
                    "the prompt on standard input is larger than \(maxStandardInputBytes >> 20) MiB; "
                        + "put the material in a file in the project and ask the model to read it")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PieExit.usage("the prompt on standard input is not valid UTF-8")
        }
        return text
    }

    private static func readFile(_ path: String) -> String? {
        do {
            return try PolicyFiles.read(path)
        } catch {
            return nil
        }
    }
}
