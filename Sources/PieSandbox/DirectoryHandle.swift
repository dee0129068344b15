/// A directory held open while a tool walks it: its entries are listed, its subdirectories opened
/// and its files read relative to the held descriptor, so a search of a tree pays one confined
/// open per directory and one single-component open per file instead of a resolution from the root
/// (and a `/proc/self/fd` check) per file.
///
/// Names are single components; nothing is followed through a symlink. Every name is judged by the
/// same `PathPolicy` as `FileOperations`, under the directory's path and, when the directory was
/// reached through a symlink, under its real location too. A directory can be renamed while it is
/// held, so a walker asks `isInPlace()` after reading and discards what it read when the answer is
/// no.
public protocol DirectoryHandle: AnyObject, Sendable {
    /// The directory's absolute path as the caller named it.
    var path: String { get }
    /// Lists the entries (unsorted, without `.` and `..`).
    func entries() throws(FileOperationError) -> [DirectoryEntry]
    /// Opens the subdirectory `name`, refusing a symlink.
    func directory(_ name: String) throws(FileOperationError) -> any DirectoryHandle
    /// Reads the regular file `name` under `FileOperations.read`'s rules, refusing a symlink.
    func read(_ name: String, maxBytes: Int) throws(FileOperationError) -> [UInt8]
    /// Whether the kernel still places the directory where it was when opened.
    func isInPlace() -> Bool
}
