import Testing
@testable import ModelC

@Suite struct CommandLineTests {
    @Test func versionPrintsTheLibraryVersion() throws {
        let result = try TestSupport.run(["--version"])
        #expect(result.code == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == modelcVersion)
    }
}
