import PieSandbox

/// The messages models see when a file backend refuses or fails.
enum FileErrorText {
    /// A missing file reads as pi's (Node's) `ENOENT` text, which models recognise; anything else
    /// keeps the backend's own explanation (outside the roots, too large, a FIFO…).
    static func access(_ error: FileOperationError, path: String) -> String {
        switch error.kind {
        case .notFound: "ENOENT: no such file or directory, access '\(path)'"
        default: error.message
        }
    }
}
