import Glibc

/// Where this process runs from and in, as the kernel says: the one place pie and pie-serve read
/// `/proc/self/exe` and `getcwd`.
public enum ProcessPaths {
    /// The running executable's absolute path, nil when `/proc/self/exe` cannot be read.
    public static func executable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Where a companion program (`pie-sandbox-init`, `pie-serve`) belongs: next to the running
    /// executable, where SwiftPM and `make` build them all. Nil when the executable is unknown;
    /// whether the file is there is the caller's to check.
    public static func companion(_ name: String) -> String? {
        guard let executable = executable(), let slash = executable.lastIndex(of: "/") else { return nil }
        return executable[..<slash] + "/" + name
    }

    /// The working directory's bytes (a path need not be UTF-8), nil when `getcwd` fails.
    public static func workingDirectory() -> [UInt8]? {
        guard let pointer = getcwd(nil, 0) else { return nil }
        defer { free(pointer) }
        return UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) }
    }
}
