import CPieSys
import Glibc
import PiePolicy
import PieSystem

/// `ConfinedFileOperations`' `DirectoryHandle`: an `O_PATH` descriptor on a directory whose place
/// the policy approved when it was opened.
///
/// A name is opened relative to the descriptor with `openat2(RESOLVE_BENEATH |
/// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`, and being one component, it names exactly the
/// entry of this directory: no `..`, no symlink, so the real place of what is opened is the held
/// directory's place plus the name, and both are judged by the policy before anything is opened.
/// A file is checked with `fstatat` (no open side effects on FIFOs or devices) before it is opened,
/// then must be the same inode, as `ConfinedFileOperations.read` does with its `O_PATH` probe.
final class ConfinedDirectoryHandle: DirectoryHandle {
    let path: String
    /// Where the kernel placed the descriptor when it was opened, in the policy's spelling: `path`,
    /// unless a symlink beneath the root led there (followed without `enforce_regular_files`).
    let location: String
    /// Whether `location` differs from `path`, so names are judged at both.
    private let followed: Bool
    private let fd: Int32
    private let root: RootDirectory
    private let files: ConfinedFileOperations

    init(path: String, location: String, fd: Int32, root: RootDirectory, files: ConfinedFileOperations) {
        self.path = path
        self.location = location
        followed = !PathBytes.equal(location, path)
        self.fd = fd
        self.root = root
        self.files = files
    }

    deinit {
        FileIO.close(fd)
    }

    func entries() throws(FileOperationError) -> [DirectoryEntry] {
        let listing = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0 else { throw files.failure(target(path), "cannot list") }
        return DirectoryReader.entries(of: listing)
    }

    func directory(_ name: String) throws(FileOperationError) -> any DirectoryHandle {
        let target = try child(name)
        let opened = root.openBeneath(name, flags: CPIE_O_PATH | O_DIRECTORY, followSymlinks: false, from: fd)
        guard opened >= 0 else { throw files.failure(target, "cannot open") }
        do {
            let location = try files.verifyLocation(of: opened, target)
            return ConfinedDirectoryHandle(path: target.path, location: location, fd: opened, root: root, files: files)
        } catch {
            FileIO.close(opened)
            throw error
        }
    }

    func read(_ name: String, maxBytes: Int) throws(FileOperationError) -> [UInt8] {
        let target = try child(name)
        var expected = stat()
        guard fstatat(fd, name, &expected, AT_SYMLINK_NOFOLLOW) == 0 else { throw files.failure(target, "cannot open") }
        if FileKind(mode: expected.st_mode) == .symlink { throw files.symlink(target) }
        try files.requireRegular(expected, target, verb: "read")
        guard Int(expected.st_size) <= maxBytes else {
            throw files.tooLarge(target, size: Int(expected.st_size), maxBytes)
        }

        let opened = root.openBeneath(name, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY, followSymlinks: false, from: fd)
        guard opened >= 0 else { throw files.failure(target, "cannot open") }
        defer { FileIO.close(opened) }
        let actual = try files.status(opened, target, close: false)
        try files.requireSameFile(expected, actual, target)
        try files.requireRegular(actual, target, verb: "read")
        return try files.contents(of: opened, size: Int(actual.st_size), target, maxBytes: maxBytes)
    }

    func isInPlace() -> Bool {
        guard let now = RootDirectory.location(of: fd), let place = root.policyPath(forLocation: now) else { return false }
        return PathBytes.equal(place, location)
    }

    /// Judges the entry `name` where it is named and, when they differ, where it really is.
    private func child(_ name: String) throws(FileOperationError) -> ConfinedFileOperations.Target {
        guard Self.isOneName(name) else {
            throw FileOperationError(
                .outsideRoots, path: path,
                message: "'\(name)' is not one entry name inside '\(path)'; give a name without '/', '.' or '..'")
        }
        let named = Self.join(path, name)
        _ = try files.judge(named, access: .read)
        if followed { _ = try files.judge(Self.join(location, name), access: .read) }
        return target(named)
    }

    private func target(_ path: String) -> ConfinedFileOperations.Target {
        .init(path: path, root: root, relative: PathBytes.relative(path, to: root.path) ?? ".", access: .read)
    }

    /// One directory entry's name: not empty, `.` or `..`, without `/` or NUL.
    private static func isOneName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard !utf8.isEmpty, !utf8.contains(UInt8(ascii: "/")), !utf8.contains(0) else { return false }
        return utf8.count > 2 || !utf8.allSatisfy { $0 == UInt8(ascii: ".") }
    }

    private static func join(_ directory: String, _ name: String) -> String {
        PathBytes.equal(directory, "/") ? "/" + name : directory + "/" + name
    }
}
