#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The read allowlist of a `sandbox_reads = "allowlist"` sandbox: what commands need to run, and
/// nothing that holds a secret.
///
/// One list feeds the bubblewrap plan and `--print-tool-policy`, so what a reviewer reads is what
/// the sandbox binds.
public enum SandboxReadRoots {
    /// Where programs and their libraries live. On usrmerge systems `/bin`, `/sbin` and `/lib*`
    /// are symlinks into `/usr`; they are recreated as the same symlinks.
    public static let systemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]

    /// The entries of `/etc` that programs read to start, resolve names and verify TLS. Everything
    /// else in `/etc` is absent: `shadow`, `gshadow`, `sudoers*`, `ssh/` (host keys), `ssl/private`,
    /// `krb5.keytab`, and the files that may carry a registry or proxy password (`npmrc`,
    /// `pip.conf`, `apt/auth.conf.d`, `maven/settings.xml`, `environment`, `wgetrc`, `netrc`).
    public static let etcEntries = [
        // users and groups (ls -l, id, whoami; no password hashes: those are in shadow)
        "passwd", "group",
        // name resolution
        "nsswitch.conf", "hosts", "host.conf", "resolv.conf", "gai.conf", "services", "protocols", "networks",
        // time, locale
        "localtime", "timezone", "locale.alias", "locale.conf",
        // the dynamic linker
        "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
        // Debian's alternatives (awk, editor, cc, java … are symlinks through it)
        "alternatives",
        // public TLS trust only; ssl/private stays out
        "ssl/certs", "ssl/openssl.cnf", "ca-certificates", "ca-certificates.conf", "pki/tls/certs",
        "pki/ca-trust", "crypto-policies",
        // what system is this (python's platform, build scripts)
        "os-release", "lsb-release", "debian_version", "redhat-release", "alpine-release",
        // file types, terminals, fonts, the system git configuration
        "mime.types", "magic", "magic.mime", "terminfo", "fonts", "gitconfig",
    ]

    /// One host path an allowlist sandbox makes readable.
    public enum Bind: Sendable, Equatable {
        /// Bound read-only at the same path (a symlink is followed to what it names).
        case readOnly(String)
        /// Recreated as a symlink with the host's target (`/bin -> usr/bin`).
        case symlink(String, target: String)
        /// An empty, read-only tmpfs: the sandbox's `$HOME`.
        case emptyHome(String)

        public var path: String {
            switch self {
            case .readOnly(let path), .symlink(let path, _), .emptyHome(let path): path
            }
        }
    }

    /// What the host has at a path, as far as the allowlist cares.
    public struct HostEntry: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case directory, file, other }
        /// What the path ends in after following symlinks; nil when a symlink points nowhere.
        public var kind: Kind?
        /// The path's own symlink target, when the path itself is a symlink.
        public var linkTarget: String?

        public init(kind: Kind?, linkTarget: String? = nil) {
            self.kind = kind
            self.linkTarget = linkTarget
        }
    }

    /// The read binds for `paths`, in mount order (system, `/etc`, `$HOME`, read roots), as the
    /// host looks through `lookup` (nil: absent). Write roots are not listed: the plan binds them
    /// read-write after these. A read root inside a write root is left out (binding it read-only
    /// would take away the write root's writes).
    public static func binds(paths: PathPolicy, lookup: (String) -> HostEntry?) -> [Bind] {
        var binds: [Bind] = []
        for directory in systemDirectories {
            guard let found = lookup(directory) else { continue }
            if let target = found.linkTarget {
                binds.append(.symlink(directory, target: target))
            } else if found.kind == .directory {
                binds.append(.readOnly(directory))
            }
        }
        // bwrap follows a bind's source, so an /etc symlink (localtime, os-release, resolv.conf)
        // shows what it ends in; one that ends nowhere, or in a device or socket, stays out.
        for entry in etcEntries {
            let path = "/etc/" + entry
            if let kind = lookup(path)?.kind, kind != .other { binds.append(.readOnly(path)) }
        }
        // A $HOME inside a root is the root's to show (and remounting it read-only would take the
        // root's mount with it).
        let roots = paths.writeRoots + paths.readRoots
        if paths.home != "/", !paths.home.isEmpty, !roots.contains(where: { PathNormalizer.isWithin(paths.home, $0) }) {
            binds.append(.emptyHome(paths.home))
        }
        for root in paths.readRoots where !paths.writeRoots.contains(where: { PathNormalizer.isWithin(root, $0) }) {
            if lookup(root)?.kind == .directory { binds.append(.readOnly(root)) }
        }
        return binds
    }

    /// The host as `lstat`, `stat` and `readlink` see it.
    public static func hostLookup(_ path: String) -> HostEntry? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        var linkTarget: String?
        if info.st_mode & S_IFMT == S_IFLNK {
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink(path, &buffer, buffer.count - 1)
            guard count > 0 else { return nil }
            linkTarget = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if stat(path, &info) != 0 { return HostEntry(kind: nil, linkTarget: linkTarget) }
        }
        let kind: HostEntry.Kind
        switch info.st_mode & S_IFMT {
        case S_IFDIR: kind = .directory
        case S_IFREG: kind = .file
        default: kind = .other
        }
        return HostEntry(kind: kind, linkTarget: linkTarget)
    }
}
