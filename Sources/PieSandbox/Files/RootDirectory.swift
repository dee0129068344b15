import CPieSys
import Glibc
import PiePolicy

/// An open descriptor on one read or write root. Every file operation resolves beneath it, so a
/// path can never climb out through `..`, an absolute symlink or a `/proc` magic link, however the
/// tree changes between the policy check and the open.
final class RootDirectory: Sendable {
    /// The root as the policy spells it.
    let path: String
    /// Where the kernel says the descriptor points (differs from `path` when the root's own path
    /// contains a symlink); used to map `/proc/self/fd` answers back to policy paths.
    let realPath: String
    let fd: Int32

    init?(path: String) {
        let fd = Glibc.open(path, CPIE_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.path = path
        self.fd = fd
        self.realPath = Self.location(of: fd) ?? path
    }

    deinit {
        Descriptor.close(fd)
    }

    /// Opens `relative` beneath this root: `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`, plus
    /// `RESOLVE_NO_SYMLINKS` when `followSymlinks` is false). On kernels without openat2 (< 5.6) it
    /// walks the components with `O_NOFOLLOW`, which refuses every symlink (stricter, never looser).
    func openBeneath(_ relative: String, flags: Int32, mode: mode_t = 0, followSymlinks: Bool, from base: Int32? = nil)
        -> Int32
    {
        let start = base ?? fd
        var resolve = CPIE_RESOLVE_BENEATH | CPIE_RESOLVE_NO_MAGICLINKS
        if !followSymlinks { resolve |= CPIE_RESOLVE_NO_SYMLINKS }
        let opened = cpie_openat2(
            start, relative, UInt64(UInt32(bitPattern: flags | O_CLOEXEC)), UInt64(mode), resolve)
        if opened >= 0 || errno != ENOSYS { return opened }
        return walk(relative, from: start, flags: flags, mode: mode)
    }

    /// The `O_NOFOLLOW` component walk used where openat2 is missing. `relative` is normalized by
    /// the caller, so it has no `..`; a symlink anywhere fails with ELOOP or ENOTDIR.
    private func walk(_ relative: String, from start: Int32, flags: Int32, mode: mode_t) -> Int32 {
        let components = PathBytes.components(relative).filter { !PathBytes.isDot($0) }
        var current = dup(start)
        guard current >= 0 else { return -1 }
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            let next =
                last
                ? openat(current, String(component), flags | O_NOFOLLOW | O_CLOEXEC, mode)
                : openat(current, String(component), CPIE_O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let saved = errno
            Descriptor.close(current)
            guard next >= 0 else {
                errno = saved
                return -1
            }
            current = next
        }
        if components.isEmpty {
            let reopened = openat(current, ".", flags | O_CLOEXEC, mode)
            let saved = errno
            Descriptor.close(current)
            errno = saved
            return reopened
        }
        return current
    }

    /// The absolute path the kernel reports for an open descriptor; nil when it is not valid UTF-8,
    /// since a repaired spelling (U+FFFD) would be judged instead of the file actually opened.
    static func location(of fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(validating: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Maps a kernel-reported location back to the policy's spelling of this root.
    func policyPath(forLocation location: String) -> String? {
        guard PathNormalizer.isWithin(location, realPath) else { return nil }
        return PathNormalizer.normalize(path + "/" + PathBytes.dropFirst(location, bytes: realPath.utf8.count))
    }
}
