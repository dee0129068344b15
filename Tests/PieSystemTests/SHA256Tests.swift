import Testing

@testable import PieSystem

/// FIPS 180-4 / NIST CAVP example vectors, computed by libcrypto through `SHA256`.
@Suite("SHA256") struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func vectors(input: String, expected: String) throws {
        #expect(try SHA256.hex(input) == expected)
    }

    @Test func oneMillionA() throws {
        var hasher = try SHA256()
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { try hasher.update(block) }
        let hex = try hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() throws {
        let text = Array(String(repeating: "pie sandbox ", count: 50).utf8)
        var hasher = try SHA256()
        try hasher.update(text[..<63])
        try hasher.update(text[63..<65])
        try hasher.update(text[65...])
        #expect(try hasher.finalize() == SHA256.hash(text))
    }

    /// A library that cannot be opened is a typed error naming the package, not a crash.
    @Test func missingLibraryNamesThePackage() {
        #expect {
            try CryptoLibrary.load(named: "libcrypto-does-not-exist.so.3")
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("libcrypto-does-not-exist.so.3 could not be loaded (")
                && description.contains("install it with `apt-get install libssl3`")
        }
    }
}

/// RFC 4231's HMAC-SHA256 test cases.
@Suite("HMAC-SHA256") struct HMACSHA256Tests {
    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { index in
            UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) ?? 0
        }
    }

    @Test(arguments: [
        // Test case 1
        (
            [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        // Test case 2: a key shorter than the block
        (
            Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        // Test case 3
        (
            [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        // Test case 6: a key longer than the block is hashed first
        (
            [UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
    ] as [([UInt8], [UInt8], String)])
    func rfc4231(key: [UInt8], message: [UInt8], expected: String) throws {
        #expect(try HMACSHA256.authenticationCode(key: key, message: message) == Self.bytes(hex: expected))
    }
}
