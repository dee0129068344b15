import CPieSys
import Glibc
import PiePolicy
import PieSystem

/// `FileOperations` confined at the syscall level to the policy's roots, enforcing exactly the deny
/// and protected rules the shell sandbox mounts (both call `PathPolicy.classify`).
///
/// - Every path is resolved beneath an open root descriptor with `openat2(RESOLVE_BENEATH |
///   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS)`; without `enforceRegularFiles`, symlinks that stay
///   beneath the root are followed. After opening, the kernel's view of the descriptor
///   (`/proc/self/fd`) is classified again, so a followed link cannot reach a denied file.
/// - Reads check the file first through an `O_PATH` descriptor (no open side effects on FIFOs or
///   devices), refuse anything but regular files and files over the cap, then open and verify it
///   is the same inode.
/// - Writes go to a temp file in the target's directory, are fsynced, and are renamed over the
///   target with `renameat` on the held directory descriptor; missing parents are made with
///   `mkdirat` one checked component at a time.
/// - With `enforceRegularFiles`, a regular file with more than one hard link is refused: a link
///   inside a root to a secret outside it would otherwise pass every path check.
///
/// Root descriptors are opened once, at initialization; a root that does not exist then stays
/// unreachable (`.notFound`) for the life of the value.
public struct ConfinedFileOperations: FileOperations {
    public let paths: PathPolicy
    public let enforceRegularFiles: Bool
    /// Keyed by bytes: two roots that are canonically equivalent `String`s are two directories.
    private let roots: [PathKey: RootDirectory]

    public init(paths: PathPolicy, enforceRegularFiles: Bool) {
        self.paths = paths
        self.enforceRegularFiles = enforceRegularFiles
        var roots: [PathKey: RootDirectory] = [:]
        for root in paths.writeRoots + paths.readRoots where roots[PathKey(root)] == nil {
            roots[PathKey(root)] = RootDirectory(path: root)
        }
        self.roots = roots
    }

    public func read(_ path: String, maxBytes: Int) throws(FileOperationError) -> [UInt8] {
        let target = try locate(path, access: .read)
        let probe = try open(target, flags: CPIE_O_PATH)
        let expected = try status(probe, target, close: true)
        try requireRegular(expected, target, verb: "read")
        guard Int(expected.st_size) <= maxBytes else { throw tooLarge(target, size: Int(expected.st_size), maxBytes) }

        let fd = try open(target, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY)
        defer { FileIO.close(fd) }
        let actual = try status(fd, target, close: false)
        try requireSameFile(expected, actual, target)
        try requireRegular(actual, target, verb: "read")
        try verifyLocation(of: fd, target)

        return try contents(of: fd, size: Int(actual.st_size), target, maxBytes: maxBytes)
    }

    /// Reads an open regular file whole, bounded by `maxBytes`: straight into storage sized from
    /// `fstat`, with one spare byte to notice a file that grew.
    func contents(of fd: Int32, size: Int, _ target: Target, maxBytes: Int) throws(FileOperationError) -> [UInt8] {
        let capacity = min(size, maxBytes) + 1
        var failed = false
        let contents = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, filled in
            filled = 0
            while filled < capacity {
                let count = Glibc.read(fd, buffer.baseAddress.map { $0 + filled }, capacity - filled)
                if count < 0, errno == EINTR { continue }
                if count < 0 { failed = true }
                if count <= 0 { break }
                filled += count
            }
        }
        if failed { throw failure(target, "cannot read") }
        if contents.count > maxBytes { throw tooLarge(target, size: contents.count, maxBytes) }
        if contents.count == capacity { return try readRest(fd, after: contents, target, maxBytes: maxBytes) }
        return contents
    }

    /// The file grew after `fstat`: keep reading, still bounded by `maxBytes`.
    private func readRest(_ fd: Int32, after start: [UInt8], _ target: Target, maxBytes: Int) throws(FileOperationError) -> [UInt8] {
        var contents = start
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(fd, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failure(target, "cannot read") }
            if count == 0 { return contents }
            contents += chunk[0..<count]
            if contents.count > maxBytes { throw tooLarge(target, size: contents.count, maxBytes) }
        }
    }

    public func write(_ path: String, contents: [UInt8]) throws(FileOperationError) {
        let target = try locate(path, access: .write)
        try refuseFileInProtectedWay(target)
        let components = PathBytes.components(target.relative).map(String.init)
        guard let name = components.last, !PathBytes.isDot(target.relative) else {
            throw FileOperationError(.isDirectory, path: target.path, message: "'\(target.path)' is a directory")
        }
        let parent = try openParent(of: target, components: components.dropLast())
        defer { FileIO.close(parent) }
        try judgeRealPlace(of: name, in: parent, target)

        var mode: mode_t = 0o644
        let existing = target.root.openBeneath(
            name, flags: CPIE_O_PATH | O_NOFOLLOW, followSymlinks: false, from: parent)
        if existing >= 0 {
            let info = try status(existing, target, close: true)
            let kind = FileKind(mode: info.st_mode)
            if kind == .directory {
                throw FileOperationError(.isDirectory, path: target.path, message: "'\(target.path)' is a directory")
            }
            if kind == .symlink, enforceRegularFiles { throw symlink(target) }
            if kind != .symlink { try requireRegular(info, target, verb: "overwrite") }
            if kind == .regular { mode = info.st_mode & 0o7777 }
        } else if errno != ENOENT {
            throw failure(target, "cannot inspect")
        }
        try replace(name, in: parent, with: contents, mode: mode, target)
    }

    public func info(_ path: String) throws(FileOperationError) -> FileInfo {
        let target = try locate(path, access: .read)
        let fd = try open(target, flags: CPIE_O_PATH | O_NOFOLLOW)
        do {
            try verifyLocation(of: fd, target)
        } catch {
            FileIO.close(fd)
            throw error
        }
        let info = try status(fd, target, close: true)
        return FileInfo(
            kind: FileKind(mode: info.st_mode), size: Int(info.st_size), modifiedSeconds: info.st_mtim.tv_sec)
    }

    public func list(_ path: String) throws(FileOperationError) -> [DirectoryEntry] {
        let target = try locate(path, access: .read)
        let fd = try open(target, flags: O_RDONLY | O_DIRECTORY)
        do {
            try verifyLocation(of: fd, target)
        } catch {
            FileIO.close(fd)
            throw error
        }
        return DirectoryReader.entries(of: fd)
    }

    public func openDirectory(_ path: String) throws(FileOperationError) -> any DirectoryHandle {
        let target = try locate(path, access: .read)
        let fd = try open(target, flags: CPIE_O_PATH | O_DIRECTORY)
        do {
            let location = try verifyLocation(of: fd, target)
            return ConfinedDirectoryHandle(path: target.path, location: location, fd: fd, root: target.root, files: self)
        } catch {
            FileIO.close(fd)
            throw error
        }
    }

    // MARK: - Resolution

    /// A policy-approved path split into its root and the part beneath it.
    struct Target {
        var path: String
        var root: RootDirectory
        var relative: String
        var access: PathAccess
    }

    private func locate(_ path: String, access: PathAccess) throws(FileOperationError) -> Target {
        guard PathBytes.isAbsolute(path) else {
            throw FileOperationError(
                .outsideRoots, path: path, message: "'\(path)' is not absolute; give the full path inside the project")
        }
        let normalized = PathNormalizer.normalize(path)
        let rootPath = try judge(normalized, access: access)
        guard let root = roots[PathKey(rootPath)] else {
            throw FileOperationError(
                .notFound, path: normalized, message: "the root '\(rootPath)' holding '\(normalized)' does not exist")
        }
        let relative = PathBytes.relative(normalized, to: rootPath) ?? "."
        return Target(path: normalized, root: root, relative: relative, access: access)
    }

    /// `PathPolicy.classify`, with its verdict turned into a typed error.
    func judge(_ path: String, access: PathAccess) throws(FileOperationError) -> String {
        switch paths.classify(path, access: access) {
        case .allowed(let root): return root
        case .denied(let rule, let reason):
            let kind: FileOperationError.Kind =
                switch rule {
                case "path.protected", "path.git_metadata": .protected
                case "path.outside_roots": .outsideRoots
                default: .denied
                }
            throw FileOperationError(kind, path: path, message: reason)
        }
    }

    /// A file written where a protected path's parent directory belongs (a `.git` file while
    /// `.git/hooks` is protected) would redirect what the protection guards: git follows a
    /// `gitdir:` file anywhere. The shell sandbox masks or read-only binds the same spot.
    private func refuseFileInProtectedWay(_ target: Target) throws(FileOperationError) {
        for guarded in paths.protectedAbsolutePaths
        where !PathBytes.equal(guarded, target.path) && PathNormalizer.isWithin(guarded, target.path) {
            throw FileOperationError(
                .protected, path: target.path,
                message: "'\(target.path)' stands where the protected '\(guarded)' lives; a file there could "
                    + "redirect it (like a `gitdir:` file), so pie will not write it")
        }
    }

    private func open(_ target: Target, flags: Int32) throws(FileOperationError) -> Int32 {
        let fd = target.root.openBeneath(target.relative, flags: flags, followSymlinks: !enforceRegularFiles)
        guard fd >= 0 else { throw failure(target, "cannot open") }
        return fd
    }

    /// Classifies where the kernel says `fd` points, so a followed symlink cannot land on a denied
    /// or protected path (or, with a stale root descriptor, outside the roots). Returns that place
    /// in the policy's spelling.
    @discardableResult
    func verifyLocation(of fd: Int32, _ target: Target) throws(FileOperationError) -> String {
        guard let location = RootDirectory.location(of: fd), let path = target.root.policyPath(forLocation: location)
        else {
            throw FileOperationError(
                .outsideRoots, path: target.path, message: "'\(target.path)' resolves outside '\(target.root.path)'")
        }
        if !PathBytes.equal(path, target.path) { _ = try judge(path, access: target.access) }
        return path
    }

    /// With symlinks followed (`enforce_regular_files` off), a directory reached through a link
    /// beneath the root is another one than the path names: `gg/config` with `gg -> .git` lands in
    /// `.git/config`. So what is created in `directory` is judged again where it really lands, as a
    /// read is after opening (red-team finding 6). Without following, the two are the same place.
    private func judgeRealPlace(of name: String, in directory: Int32, _ target: Target) throws(FileOperationError) {
        guard !enforceRegularFiles else { return }
        guard let location = RootDirectory.location(of: directory),
            let real = target.root.policyPath(forLocation: location)
        else {
            throw FileOperationError(
                .outsideRoots, path: target.path, message: "'\(target.path)' resolves outside '\(target.root.path)'")
        }
        let path = PathNormalizer.join(real, name)
        guard !PathBytes.equal(path, target.path) else { return }
        _ = try judge(path, access: .write)
        try refuseFileInProtectedWay(Target(path: path, root: target.root, relative: target.relative, access: .write))
    }

    /// Opens (creating as needed) each parent directory beneath the root, checking every component
    /// against the policy before `mkdirat`. Returns the directory descriptor of the last one.
    private func openParent(of target: Target, components: ArraySlice<String>) throws(FileOperationError) -> Int32 {
        var current = target.root.openBeneath(".", flags: O_RDONLY | O_DIRECTORY, followSymlinks: false)
        guard current >= 0 else { throw failure(target, "cannot open the root of") }
        var prefix: [String] = []
        for component in components {
            prefix.append(component)
            let relative = prefix.joined(separator: "/")
            let path = PathNormalizer.join(target.root.path, relative)
            let step = Target(path: path, root: target.root, relative: relative, access: .write)
            let follow = !enforceRegularFiles
            var next = target.root.openBeneath(relative, flags: O_RDONLY | O_DIRECTORY, followSymlinks: follow)
            if next < 0, errno == ENOENT {
                do {
                    _ = try judge(path, access: .write)
                    try judgeRealPlace(of: component, in: current, step)
                } catch {
                    FileIO.close(current)
                    throw error
                }
                if mkdirat(current, component, 0o755) != 0, errno != EEXIST {
                    let error = failure(step, "cannot create directory")
                    FileIO.close(current)
                    throw error
                }
                next = target.root.openBeneath(relative, flags: O_RDONLY | O_DIRECTORY, followSymlinks: follow)
            }
            guard next >= 0 else {
                let error = failure(step, "cannot open directory")
                FileIO.close(current)
                throw error
            }
            FileIO.close(current)
            current = next
        }
        return current
    }

    /// Temp file + fsync + `renameat` in the same held directory, then fsync of the directory.
    private func replace(
        _ name: String, in directory: Int32, with contents: [UInt8], mode: mode_t, _ target: Target
    ) throws(FileOperationError) {
        let temporary = ".\(name).pie-\(SpawnID.make())"
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure(target, "cannot create a temporary file next to") }
        var succeeded = false
        defer {
            if !succeeded { unlinkat(directory, temporary, 0) }
        }
        let written = FileIO.writeAll(fd, contents) == nil
        let savedWrite = errno
        let synced = written && fchmod(fd, mode) == 0 && fsync(fd) == 0
        let savedSync = errno
        FileIO.close(fd)
        guard synced else {
            errno = written ? savedSync : savedWrite
            throw failure(target, "cannot write")
        }
        guard renameat(directory, temporary, directory, name) == 0 else { throw failure(target, "cannot replace") }
        succeeded = true
        _ = fsync(directory)
    }

    // MARK: - Checks and errors

    func status(_ fd: Int32, _ target: Target, close: Bool) throws(FileOperationError) -> stat {
        var info = stat()
        let result = fstat(fd, &info)
        let saved = errno
        if close { FileIO.close(fd) }
        guard result == 0 else {
            errno = saved
            throw failure(target, "cannot inspect")
        }
        return info
    }

    /// The file checked before opening must be the one opened.
    func requireSameFile(_ expected: stat, _ actual: stat, _ target: Target) throws(FileOperationError) {
        guard actual.st_dev == expected.st_dev, actual.st_ino == expected.st_ino else {
            throw FileOperationError(
                .io, path: target.path, message: "'\(target.path)' changed while it was being opened; try again")
        }
    }

    func requireRegular(_ info: stat, _ target: Target, verb: String) throws(FileOperationError) {
        let kind = FileKind(mode: info.st_mode)
        switch kind {
        case .regular: break
        case .directory:
            throw FileOperationError(
                .isDirectory, path: target.path, message: "'\(target.path)' is a directory; list it instead")
        default:
            throw FileOperationError(
                .notRegularFile, path: target.path,
                message: "'\(target.path)' is \(kind.phrase), not a regular file; pie will not \(verb) it")
        }
        if enforceRegularFiles, info.st_nlink > 1 {
            throw FileOperationError(
                .denied, path: target.path,
                message: "'\(target.path)' has \(info.st_nlink) hard links; pie refuses hard-linked files because "
                    + "a link can point at a secret outside the roots")
        }
    }

    func tooLarge(_ target: Target, size: Int, _ maxBytes: Int) -> FileOperationError {
        FileOperationError(
            .tooLarge, path: target.path,
            message: "'\(target.path)' is \(size) bytes, over the \(maxBytes)-byte limit; read a part with a shell "
                + "command such as head or sed -n")
    }

    func symlink(_ target: Target) -> FileOperationError {
        FileOperationError(
            .symlink, path: target.path,
            message: "'\(target.path)' is or passes through a symlink; pie does not follow symlinks "
                + "(--enforce-regular-files); use the real path")
    }

    /// Maps the current errno to an error kind and a sentence naming the path and the reason.
    func failure(_ target: Target, _ action: String) -> FileOperationError {
        let code = errno
        let path = target.path
        switch code {
        case ENOENT:
            return FileOperationError(.notFound, path: path, message: "'\(path)' does not exist", errno: code)
        case ELOOP: return symlink(target)
        case EXDEV:
            return FileOperationError(
                .outsideRoots, path: path,
                message: "'\(path)' resolves outside the root '\(target.root.path)' (through '..' or a symlink)",
                errno: code)
        case ENOTDIR:
            return FileOperationError(
                .notFound, path: path, message: "'\(path)': a parent component is not a directory", errno: code)
        case EISDIR:
            return FileOperationError(.isDirectory, path: path, message: "'\(path)' is a directory", errno: code)
        case ENXIO:
            return FileOperationError(
                .notRegularFile, path: path, message: "'\(path)' is a socket or device, not a regular file",
                errno: code)
        case EACCES, EPERM, EROFS:
            return FileOperationError(
                .permission, path: path, message: "\(action) '\(path)': \(String(cString: strerror(code)))",
                errno: code)
        default:
            return FileOperationError(
                .io, path: path, message: "\(action) '\(path)': \(String(cString: strerror(code)))", errno: code)
        }
    }
}

extension FileKind {
    /// "a FIFO", "a directory", … for error messages.
    var phrase: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symlink: "a symlink"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .unknown: "an unknown kind of file"
        }
    }
}
