import Testing
@testable import PieLocal

/// libcurl is opened at run time (`CurlLibrary`); every transport test goes through that loader.
/// These cover what happens when the library cannot be used, with names that fail the same way
/// whether or not another test has already loaded the real one.
@Suite struct CurlLibraryTests {
    @Test func theSystemLibraryLoadsAndLoadingAgainIsHarmless() throws {
        try CurlLibrary.load()
        try CurlLibrary.load()
    }

    @Test func aMissingLibraryIsATypedErrorThatSaysHowToInstallIt() throws {
        let error = try #require(throws: CurlLoadError.self) {
            try CurlLibrary.load(named: "libcurl-not-installed-for-pie-tests.so.4")
        }
        #expect(error.library == "libcurl-not-installed-for-pie-tests.so.4")
        #expect(error.reason.contains("cannot open shared object file"), "\(error.reason)")
        #expect(error.description.hasPrefix("libcurl-not-installed-for-pie-tests.so.4 could not be loaded ("))
        #expect(error.description.contains("apt-get install libcurl4"))
    }

    @Test func aLibraryWithoutLibcurlsFunctionsIsRejected() throws {
        let error = try #require(throws: CurlLoadError.self) {
            try CurlLibrary.load(named: "libc.so.6")
        }
        #expect(error.reason == "libc.so.6 has no curl_global_init; pie needs libcurl 7.68 or newer")
    }
}
