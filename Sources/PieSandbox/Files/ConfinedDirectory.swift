import CPieSys
import Glibc
import PiePolicy
import PieSystem

/// One flat directory of small files pie writes for itself (the model's memories), reached beneath
/// a base directory without following any symlink and never left.
///
/// The tools' `ConfinedFileOperations` judge paths by the policy, which denies pie's state and
/// protects `.pie` directories; this layer serves the one tool allowed to write there by a rule
/// of its own (`memory_tool`), so it trusts no path at all:
/// - `relative` (e.g. `.pie/memory`) is opened from `base` with `openat2(RESOLVE_BENEATH |
///   RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`, created one `mkdirat` (0700) at a time; a
///   symlinked `.pie` in a cloned project cannot send a write elsewhere.
/// - Entries are plain names (no `/`, no leading dot); each is opened with `O_NOFOLLOW` on the held
///   directory descriptor, must be a regular file with one link (a hard link to a secret is refused).
/// - Writes are atomic (temp file 0600, fsync, `renameat`, directory fsync); files are 0600.
public struct ConfinedDirectory: Sendable {
    /// The directory the base is opened at (following the user's own symlinks in it).
    public let base: String
    /// The path below `base`, no `..`, no symlinks.
    public let relative: String

    public init(base: String, relative: String) {
        (self.base, self.relative) = (base, relative)
    }

    /// The directory's full path, for messages.
    public var path: String { PathNormalizer.join(base, relative) }

    /// A regular file in the directory.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var size: Int
    }

    /// The regular files in the directory with valid UTF-8 names, unsorted; an absent directory
    /// has none. Symlinks and other kinds are left out: nothing here follows them.
    public func entries() throws(FileOperationError) -> [Entry] {
        guard let directory = try open(create: false) else { return [] }
        defer { FileIO.close(directory) }
        // `DirectoryReader` closes the descriptor it reads; the held one stays for `fstatat`.
        let copy = dup(directory)
        guard copy >= 0 else { throw failure("cannot list", path) }
        let listed = DirectoryReader.entries(of: copy)
        var entries: [Entry] = []
        // Judged by `fstatat`, not the entry's type: some file systems report DT_UNKNOWN.
        for entry in listed where entry.rawName == nil {
            var info = stat()
            guard fstatat(directory, entry.name, &info, AT_SYMLINK_NOFOLLOW) == 0,
                FileKind(mode: info.st_mode) == .regular
            else { continue }
            entries.append(Entry(name: entry.name, size: Int(info.st_size)))
        }
        return entries
    }

    /// The file's bytes; refuses anything but a regular single-link file and files over `maxBytes`.
    public func read(_ name: String, maxBytes: Int) throws(FileOperationError) -> [UInt8] {
        let file = try checked(name)
        guard let directory = try open(create: false) else {
            throw FileOperationError(.notFound, path: file, message: "'\(file)' does not exist")
        }
        defer { FileIO.close(directory) }
        let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open", file) }
        defer { FileIO.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot inspect", file) }
        try requireRegular(info, file)
        guard Int(info.st_size) <= maxBytes else {
            throw FileOperationError(
                .tooLarge, path: file, message: "'\(file)' is \(info.st_size) bytes, over the \(maxBytes)-byte limit")
        }
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readToEnd(fd, path: file, limit: maxBytes)
        } catch {
            throw FileOperationError(.io, path: file, message: error.description)
        }
        guard bytes.count <= maxBytes else {
            throw FileOperationError(.tooLarge, path: file, message: "'\(file)' grew over the \(maxBytes)-byte limit while it was read")
        }
        return bytes
    }

    /// Creates or replaces `name` atomically with mode 0600, creating the directory (0700) as needed.
    /// An existing entry that is not a regular single-link file is refused, never replaced.
    public func write(_ name: String, contents: [UInt8]) throws(FileOperationError) {
        let file = try checked(name)
        guard let directory = try open(create: true) else {
            throw FileOperationError(.io, path: path, message: "cannot create '\(path)'")
        }
        defer { FileIO.close(directory) }
        var info = stat()
        if fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            try requireRegular(info, file)
        } else if errno != ENOENT {
            throw failure("cannot inspect", file)
        }
        let temporary = ".\(name).pie-\(SpawnID.make())"
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot create a temporary file next to", file) }
        var done = false
        defer { if !done { unlinkat(directory, temporary, 0) } }
        let written = FileIO.writeAll(fd, contents) == nil && fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        let saved = errno
        FileIO.close(fd)
        guard written else {
            errno = saved
            throw failure("cannot write", file)
        }
        guard renameat(directory, temporary, directory, name) == 0 else { throw failure("cannot replace", file) }
        done = true
        _ = fsync(directory)
    }

    /// Removes `name`, which must be a regular file.
    public func remove(_ name: String) throws(FileOperationError) {
        let file = try checked(name)
        guard let directory = try open(create: false) else {
            throw FileOperationError(.notFound, path: file, message: "'\(file)' does not exist")
        }
        defer { FileIO.close(directory) }
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw failure("cannot inspect", file) }
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else {
            throw FileOperationError(
                .notRegularFile, path: file, message: "'\(file)' is \(kind.phrase), not a regular file; pie will not remove it")
        }
        guard unlinkat(directory, name, 0) == 0 else { throw failure("cannot remove", file) }
        _ = fsync(directory)
    }

    // MARK: - Opening

    /// The directory, opened beneath `base` without following symlinks; nil when it does not exist
    /// and `create` is false.
    private func open(create: Bool) throws(FileOperationError) -> Int32? {
        let root = Glibc.open(base, CPIE_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else {
            if errno == ENOENT, !create { return nil }
            throw failure("cannot open", base)
        }
        defer { FileIO.close(root) }
        let components = PathBytes.components(relative).map(String.init).filter { !PathBytes.isDot($0) }
        guard !components.contains(where: { PathBytes.isDotDot($0) }) else {
            throw FileOperationError(.outsideRoots, path: path, message: "'\(relative)' climbs out of '\(base)'")
        }
        var prefix: [String] = []
        for component in components {
            let parent = prefix.isEmpty ? "." : prefix.joined(separator: "/")
            prefix.append(component)
            let here = prefix.joined(separator: "/")
            if beneath(root, here, flags: CPIE_O_PATH | O_DIRECTORY) { continue }
            guard errno == ENOENT else { throw failure("cannot open", PathNormalizer.join(base, here)) }
            guard create else { return nil }
            let parentFD = openBeneath(root, parent, flags: O_RDONLY | O_DIRECTORY)
            guard parentFD >= 0 else { throw failure("cannot open", PathNormalizer.join(base, parent)) }
            let made = mkdirat(parentFD, component, 0o700) == 0 || errno == EEXIST
            let saved = errno
            FileIO.close(parentFD)
            guard made else {
                errno = saved
                throw failure("cannot create directory", PathNormalizer.join(base, here))
            }
        }
        let fd = openBeneath(root, components.isEmpty ? "." : components.joined(separator: "/"), flags: O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw failure("cannot open", path) }
        return fd
    }

    private func beneath(_ root: Int32, _ relative: String, flags: Int32) -> Bool {
        let fd = openBeneath(root, relative, flags: flags)
        guard fd >= 0 else { return false }
        FileIO.close(fd)
        return true
    }

    /// `openat2` beneath `root` refusing every symlink and magic link; a kernel without openat2
    /// gets the `O_NOFOLLOW` walk, which refuses symlinks too.
    private func openBeneath(_ root: Int32, _ relative: String, flags: Int32) -> Int32 {
        let resolve = CPIE_RESOLVE_BENEATH | CPIE_RESOLVE_NO_MAGICLINKS | CPIE_RESOLVE_NO_SYMLINKS
        let opened = cpie_openat2(root, relative, UInt64(UInt32(bitPattern: flags | O_CLOEXEC)), 0, resolve)
        if opened >= 0 || errno != ENOSYS { return opened }
        var current = dup(root)
        for component in PathBytes.components(relative).map(String.init) where !PathBytes.isDot(component) {
            let next = openat(current, component, CPIE_O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let saved = errno
            FileIO.close(current)
            guard next >= 0 else {
                errno = saved
                return -1
            }
            current = next
        }
        let reopened = openat(current, ".", flags | O_CLOEXEC)
        let saved = errno
        FileIO.close(current)
        errno = saved
        return reopened
    }

    // MARK: - Checks and errors

    /// The full path of `name`, after refusing anything but a plain name.
    private func checked(_ name: String) throws(FileOperationError) -> String {
        guard !name.isEmpty, !name.utf8.contains(UInt8(ascii: "/")), !name.utf8.contains(0), !name.hasPrefix(".") else {
            throw FileOperationError(
                .denied, path: path, message: "'\(name)' is not a plain file name (no '/', no leading '.') in '\(path)'")
        }
        return PathNormalizer.join(path, name)
    }

    private func requireRegular(_ info: stat, _ file: String) throws(FileOperationError) {
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else {
            throw FileOperationError(
                .notRegularFile, path: file, message: "'\(file)' is \(kind.phrase), not a regular file; pie will not use it")
        }
        guard info.st_nlink == 1 else {
            throw FileOperationError(
                .denied, path: file,
                message: "'\(file)' has \(info.st_nlink) hard links; pie refuses hard-linked files because a link can "
                    + "point at a secret elsewhere")
        }
    }

    private func failure(_ action: String, _ file: String) -> FileOperationError {
        let code = errno
        switch code {
        case ENOENT: return FileOperationError(.notFound, path: file, message: "'\(file)' does not exist", errno: code)
        case ELOOP, ENOTDIR, EXDEV:
            return FileOperationError(
                .symlink, path: file,
                message: "\(action) '\(file)': a component is a symlink or not a directory; pie follows no symlink here",
                errno: code)
        case EACCES, EPERM, EROFS:
            return FileOperationError(
                .permission, path: file, message: "\(action) '\(file)': \(String(cString: strerror(code)))", errno: code)
        default:
            return FileOperationError(
                .io, path: file, message: "\(action) '\(file)': \(String(cString: strerror(code)))", errno: code)
        }
    }
}
