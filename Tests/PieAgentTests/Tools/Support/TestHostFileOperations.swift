import Foundation
import PieSandbox

/// TEST SUPPORT ONLY: an unconfined `FileOperations` over the host file system.
///
/// The tools are tested against a real temporary directory through the `FileOperations`
/// protocol. The production implementation (`ConfinedFileOperations`, branch `sandbox`) was not
/// merged when these tests were written; any implementation can be swapped in via `makeFiles`.
struct TestHostFileOperations: FileOperations {
    func read(_ path: String, maxBytes: Int) throws(FileOperationError) -> [UInt8] {
        let info = try info(path)
        guard info.kind == .regular else {
            throw FileOperationError(.notRegularFile, path: path, message: "'\(path)' is not a regular file")
        }
        guard info.size <= maxBytes else {
            throw FileOperationError(.tooLarge, path: path, message: "'\(path)' is \(info.size) bytes, over \(maxBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileOperationError(.io, path: path, message: "cannot read '\(path)'")
        }
        return Array(data)
    }

    func write(_ path: String, contents: [UInt8]) throws(FileOperationError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents).write(to: url, options: .atomic)
        } catch {
            throw FileOperationError(.io, path: path, message: "cannot write '\(path)': \(error)")
        }
    }

    func info(_ path: String) throws(FileOperationError) -> FileInfo {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw FileOperationError(.notFound, path: path, message: "'\(path)' does not exist")
        }
        let type = attributes[.type] as? FileAttributeType
        let kind: FileKind =
            switch type {
            case .typeDirectory?: .directory
            case .typeSymbolicLink?: .symlink
            case .typeRegular?: .regular
            default: .unknown
            }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        return FileInfo(kind: kind, size: size, modifiedSeconds: 0)
    }

    func list(_ path: String) throws(FileOperationError) -> [DirectoryEntry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw FileOperationError(.notFound, path: path, message: "cannot list '\(path)'")
        }
        return names.map { name in
            DirectoryEntry(name: name, kind: (try? info(path + "/" + name))?.kind ?? .unknown)
        }
    }
}
