import Glibc
import PiePolicy
import PieSystem

/// The two hooks files as they are on disk now: the user's `~/.pie/hooks.toml` (no trust needed:
/// the user wrote it) and the project's `<project>/.pie/hooks.toml` with its trust status. Read
/// once; `pie hooks list`, `trust` and the agent builder all start here.
public struct HookFiles: Sendable {
    public var user: HookFileState
    /// Nil when the project's file is the user's own (pie started in the home directory).
    public var project: HookFileState?

    /// A hooks file larger than this is refused rather than read.
    static let sizeLimit = 1 << 20

    public static func userPath(stateDirectory: String) -> String { stateDirectory + "/hooks.toml" }
    public static func projectPath(project: String) -> String {
        (project.hasSuffix("/") ? String(project.dropLast()) : project) + "/.pie/hooks.toml"
    }

    /// Reads both files and the project file's trust. A file that cannot be read is an error
    /// (never "no hooks"); a file that does not parse is kept with its issues.
    public static func read(stateDirectory: String, project: String) throws(HookLoadError) -> HookFiles {
        let userPath = userPath(stateDirectory: stateDirectory)
        let user = try HookFileState.read(path: userPath, scope: .user, trust: nil)
        let projectPath = projectPath(project: project)
        guard !PathBytes.equal(PathNormalizer.normalize(projectPath), PathNormalizer.normalize(userPath)) else {
            return HookFiles(user: user, project: nil)
        }
        let trust = ProjectTrust(stateDirectory: stateDirectory)
        return HookFiles(user: user, project: try HookFileState.read(path: projectPath, scope: .project, trust: trust))
    }

    /// The files that exist, user first.
    public var present: [HookFileState] {
        ([user] + (project.map { [$0] } ?? [])).filter { $0.contents != nil }
    }

    /// The hooks that take effect: the user's, then the project's when it is trusted. A project
    /// file that is not trusted (never, or not since it changed) is skipped with a notice when
    /// someone is there to read it, and is an error for an unattended run. A file with errors
    /// is an error either way: none of its hooks would run, and a dropped `pre_tool` gate is
    /// worse than a run that does not start.
    public func configuration(untrusted: UntrustedHooks) throws(HookLoadError) -> HookConfiguration {
        var configuration = HookConfiguration(hooks: [], notices: [])
        for file in present {
            if file.scope == .project, file.trust != .trusted {
                let notice = HookNotice.untrusted(path: file.path, status: file.trust ?? .untrusted)
                if untrusted == .fail { throw .untrusted(notice) }
                configuration.notices.append(notice)
                continue
            }
            switch file.parsed {
            case .failure(let error): throw .invalid(error)
            case .success(let hooks): configuration.hooks += hooks
            case nil: break
            }
        }
        return configuration
    }
}

/// One hooks file: its bytes (nil when absent), its hooks or problems, and, for a project
/// file, whether its current bytes are trusted.
public struct HookFileState: Sendable {
    public var path: String
    public var scope: HookScope
    public var contents: [UInt8]?
    public var parsed: Result<[Hook], HookFileError>?
    /// Project files only.
    public var trust: ProjectTrust.Status?

    static func read(path: String, scope: HookScope, trust: ProjectTrust?) throws(HookLoadError) -> HookFileState {
        guard let contents = try contents(of: path) else {
            return HookFileState(path: path, scope: scope, contents: nil, parsed: nil, trust: nil)
        }
        let parsed: Result<[Hook], HookFileError>
        do throws(HookFileError) {
            parsed = .success(try HookFileParser.parse(contents, path: path, scope: scope))
        } catch {
            parsed = .failure(error)
        }
        var status: ProjectTrust.Status?
        if let trust {
            do { status = try trust.status(of: path, contents: contents) } catch {
                throw .trustStore(error)
            }
        }
        return HookFileState(path: path, scope: scope, contents: contents, parsed: parsed, trust: status)
    }

    /// The file's bytes, nil when it does not exist. Opened without blocking and read only when
    /// it is a regular file of at most `HookFiles.sizeLimit` bytes: a repository's
    /// `.pie/hooks.toml` that is a symbolic link to `/dev/tty` or a FIFO must not stall pie, and
    /// a file cut at a limit would silently lose the hooks after it.
    private static func contents(of path: String) throws(HookLoadError) -> [UInt8]? {
        let fd: Int32
        do {
            fd = try FileIO.openFile(path, O_RDONLY | O_NONBLOCK)
        } catch where error.code == ENOENT || error.code == ENOTDIR {
            return nil
        } catch {
            throw .unreadable(path: path, problem: "\(error)")
        }
        defer { FileIO.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw .unreadable(path: path, problem: "not a regular file; a hooks file must be a plain file")
        }
        let bytes: [UInt8]
        do { bytes = try FileIO.readToEnd(fd, path: path, limit: HookFiles.sizeLimit) } catch {
            throw .unreadable(path: path, problem: "\(error)")
        }
        guard bytes.count <= HookFiles.sizeLimit else {
            throw .unreadable(path: path, problem: "larger than \(HookFiles.sizeLimit) bytes; a hooks file is a few lines")
        }
        return bytes
    }
}

/// What a run does with a project hooks file that is not trusted.
public enum UntrustedHooks: Sendable, Equatable {
    /// Run none of its hooks and say so once (interactive pie, `pie -p`).
    case skip
    /// Refuse to run (automations: nobody is there to read a warning).
    case fail
}

/// The hooks that take effect, and what the user should be told about the others.
public struct HookConfiguration: Sendable {
    public var hooks: [Hook]
    public var notices: [HookNotice]

    public init(hooks: [Hook], notices: [HookNotice] = []) {
        self.hooks = hooks
        self.notices = notices
    }
}

/// Something about the hooks files the user should read.
public enum HookNotice: Sendable, Equatable, CustomStringConvertible {
    case untrusted(path: String, status: ProjectTrust.Status)

    public var description: String {
        "\(problem), so none of its hooks run; read it, then run `pie hooks trust` in its project to let them run"
    }

    /// What is wrong, without what follows from it.
    public var problem: String {
        switch self {
        case .untrusted(let path, let status):
            "\(path) " + (status == .changed ? "has changed since it was trusted" : "is not trusted")
        }
    }
}

/// The hooks could not be loaded; names the file and what to do.
public enum HookLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, problem: String)
    case invalid(HookFileError)
    case untrusted(HookNotice)
    case trustStore(ProjectTrustError)

    public var description: String {
        switch self {
        case .unreadable(let path, let problem): "cannot read \(path): \(problem)"
        case .invalid(let error): "hooks file has errors, so no hook runs:\n\(error.description)"
        case .untrusted(let notice):
            "\(notice.problem), and an unattended run does not start with hooks nobody trusted; read it, then run "
                + "`pie hooks trust` in its project"
        case .trustStore(let error): "cannot read pie's trust store: \(error.description)"
        }
    }
}
