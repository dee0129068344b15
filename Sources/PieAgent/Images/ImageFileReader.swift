import Glibc
import PieSystem

/// Reads an image the user named on the command line (`--image`): their own path, so symlinks are
/// followed, but only a regular file is opened for reading (a FIFO or device would block or never
/// end) and never more than `ImageAttachment.maxBytes` of it.
public enum ImageFileReader {
    public static func read(_ path: String) throws(ImageError) -> ImageAttachment {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { FileIO.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path, kind: kind(info.st_mode)) }
        guard Int(info.st_size) <= ImageAttachment.maxBytes else { throw .tooLarge(path: path, size: Int(info.st_size)) }
        let data: [UInt8]
        do {
            data = try FileIO.readToEnd(fd, path: path, limit: ImageAttachment.maxBytes)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        return try ImageAttachment(path: path, data: data)
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a regular file"
        }
    }
}
