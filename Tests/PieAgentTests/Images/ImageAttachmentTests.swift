import Foundation
import Glibc
import PieLocal
import Testing

@testable import PieAgent

/// Images are recognised by their bytes, within the documented caps, and only regular files are
/// read; every refusal names the file.
@Suite("image attachments")
struct ImageAttachmentTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]
    static let gif: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0]
    static let webp: [UInt8] = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8 ".utf8)

    @Test(
        "the bytes decide, whatever the name",
        arguments: [(png, "image/png"), (jpeg, "image/jpeg"), (gif, "image/gif"), (webp, "image/webp")])
    func recognisedByBytes(_ bytes: [UInt8], _ mimeType: String) throws {
        let image = try ImageAttachment(path: "notes.txt", data: bytes)
        #expect(image.mimeType == mimeType)
        #expect(image.block == .image(base64: Data(bytes).base64EncodedString(), mimeType: mimeType))
    }

    @Test("anything else is refused, naming the file and its first bytes")
    func unknownType() {
        #expect(throws: ImageError.notAnImage(path: "logo.png", header: Array("%PDF-1.7".utf8))) {
            try ImageAttachment(path: "logo.png", data: Array("%PDF-1.7\n".utf8))
        }
        let message = ImageError.notAnImage(path: "logo.png", header: Array("%PDF".utf8)).description
        #expect(message == "'logo.png' is not a PNG, JPEG, GIF or WebP image (it starts with 25 50 44 46); pie recognises images by their bytes, not their name")
    }

    @Test("the per-image, total and count caps")
    func caps() throws {
        #expect(throws: ImageError.tooLarge(path: "big.png", size: ImageAttachment.maxBytes + 1)) {
            try ImageAttachment(path: "big.png", data: Self.png + [UInt8](repeating: 0, count: ImageAttachment.maxBytes + 1 - Self.png.count))
        }
        let large = try ImageAttachment(path: "a.png", data: Self.png + [UInt8](repeating: 0, count: ImageAttachment.maxBytes - Self.png.count))
        #expect(throws: ImageError.totalTooLarge(size: 5 * ImageAttachment.maxBytes)) {
            try ImageAttachment.checkTotal(Array(repeating: large, count: 5))
        }
        let small = try ImageAttachment(path: "s.png", data: Self.png)
        #expect(throws: ImageError.tooMany(count: ImageAttachment.maxCount + 1)) {
            try ImageAttachment.checkTotal(Array(repeating: small, count: ImageAttachment.maxCount + 1))
        }
        try ImageAttachment.checkTotal(Array(repeating: small, count: ImageAttachment.maxCount))
    }

    @Test("the reader opens regular files only: a FIFO and a directory are refused without blocking")
    func regularFilesOnly() throws {
        let directory = try TemporaryDirectory()
        #expect(mkfifo(directory.file("pipe.png"), 0o600) == 0)
        #expect(throws: ImageError.notRegularFile(path: directory.file("pipe.png"), kind: "a FIFO")) {
            try ImageFileReader.read(directory.file("pipe.png"))
        }
        #expect(throws: ImageError.notRegularFile(path: directory.path, kind: "a directory")) {
            try ImageFileReader.read(directory.path)
        }
        _ = FileManager.default.createFile(atPath: directory.file("shot"), contents: Data(Self.png))
        #expect(try ImageFileReader.read(directory.file("shot")).mimeType == "image/png")
    }
}
