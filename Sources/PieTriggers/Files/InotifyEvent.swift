/// One `struct inotify_event` read from the descriptor: the watch, the event bits and the name
/// of the entry in the watched directory (empty for events on the directory itself).
struct InotifyEvent: Sendable, Equatable {
    var watch: Int32
    var mask: UInt32
    var name: String

    /// `wd`, `mask`, `cookie`, `len`: four 32-bit fields before the name.
    static let headerSize = 16

    /// Every complete event in `bytes` (the kernel never splits one across reads).
    static func parse(_ bytes: ArraySlice<UInt8>) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = bytes.startIndex
        // The kernel writes the fields in the host's byte order.
        func word(_ at: Int) -> UInt32 {
            bytes[at..<at + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        }
        while bytes.endIndex - offset >= headerSize {
            let length = Int(word(offset + 12))
            let nameStart = offset + headerSize
            guard bytes.endIndex - nameStart >= length else { break }
            let nameBytes = bytes[nameStart..<nameStart + length].prefix { $0 != 0 }
            events.append(
                InotifyEvent(
                    watch: Int32(bitPattern: word(offset)), mask: word(offset + 4),
                    name: String(decoding: nameBytes, as: UTF8.self)))
            offset = nameStart + length
        }
        return events
    }
}
