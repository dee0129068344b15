import Testing
@testable import PieLocal

@Suite struct ModelRegistryTests {
    @Test func flatFormGetsDefaultsForMissingFields() throws {
        let contents = try ModelsFile.parse(Array("""
            {"models": [{"id": "qwen3:32b", "api": "openai-completions", "provider": "ollama",
                         "baseUrl": "http://127.0.0.1:11434/v1"}]}
            """.utf8), path: "m.json")
        let model = try #require(contents.models.first)
        #expect(model.name == "qwen3:32b")
        #expect(model.contextWindow == 128_000)
        #expect(model.maxTokens == 16_384)
        #expect(model.input == ["text"])
        #expect(model.cost == .free)
        #expect(model.reasoning == false)
        #expect(model.source == .file(path: "m.json"))
    }

    @Test func piFormInheritsAndMergesProviderFields() throws {
        let contents = try ModelsFile.parse(Array("""
            {"providers": {"box": {"baseUrl": "http://10.0.0.2:8000/v1", "api": "openai-completions", "apiKey": "BOX_KEY",
              "headers": {"X-A": "1"}, "compat": {"supportsDeveloperRole": false, "maxTokensField": "max_tokens"},
              "models": [{"id": "glm", "reasoning": true, "headers": {"X-B": "2"},
                          "compat": {"thinkingFormat": "qwen-chat-template"},
                          "thinkingLevelMap": {"off": null, "high": "max"},
                          "cost": {"input": 1.5, "output": 2, "cacheRead": 0.1}}]}}}
            """.utf8), path: "m.json")
        let model = try #require(contents.models.first)
        #expect(model.provider == "box")
        #expect(model.baseURL == "http://10.0.0.2:8000/v1")
        #expect(model.headers == ["X-A": "1", "X-B": "2"])
        #expect(model.compat == CompatFlags(supportsDeveloperRole: false, maxTokensField: .maxTokens, thinkingFormat: .qwenChatTemplate))
        #expect(model.thinkingLevelMap[.off] == .some(nil))
        #expect(model.thinkingLevelMap[.high] == "max")
        #expect(model.cost == ModelPricing(input: 1.5, output: 2, cacheRead: 0.1))
        #expect(contents.providerKeys == [ModelsFile.ProviderKey(provider: "box", value: "BOX_KEY")])
    }

    @Test func malformedFieldNamesFileLineAndField() {
        let text = """
            {"models": [
              {"id": "a", "api": "openai-completions", "provider": "p", "baseUrl": "http://x/v1"},
              {"id": "b", "api": "openai-completions", "provider": "p", "baseUrl": "http://x/v1",
               "contextWindow": "big"}
            ]}
            """
        #expect(throws: ModelsFileError(path: "/p/models.json", line: 4, field: "models[1].contextWindow", reason: "must be a positive integer")) {
            try ModelsFile.parse(Array(text.utf8), path: "/p/models.json")
        }
    }

    @Test func syntaxErrorNamesTheLine() {
        do {
            _ = try ModelsFile.parse(Array("{\"models\": [\n  {\"id\": \"a\",}\n]}".utf8), path: "f.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.description.hasPrefix("f.json:2:"))
        }
    }

    @Test func unknownAPIAndThinkingFormatAreRejected() {
        #expect(throws: ModelsFileError.self) {
            try ModelsFile.parse(Array(#"{"models":[{"id":"a","api":"grpc","provider":"p","baseUrl":"http://x"}]}"#.utf8), path: "f")
        }
        #expect(throws: ModelsFileError.self) {
            try ModelsFile.parse(Array(#"{"models":[{"id":"a","api":"openai-completions","provider":"p","baseUrl":"http://x","compat":{"thinkingFormat":"magic"}}]}"#.utf8), path: "f")
        }
    }

    @Test func projectFileWinsAndMalformedFileRegistersNothing() throws {
        let home = TemporaryDirectory()
        let project = TemporaryDirectory()
        home.write("models.json", #"{"models":[{"id":"m","name":"home","api":"openai-completions","provider":"box","baseUrl":"http://h/v1"},{"id":"only-home","api":"openai-completions","provider":"box","baseUrl":"http://h/v1"}]}"#)
        project.write(".pie/models.json", #"{"models":[{"id":"m","name":"project","api":"openai-completions","provider":"box","baseUrl":"http://p/v1"}]}"#)
        let environment = PieEnvironment(["PIE_DIR": home.path])
        let registry = try ModelRegistry.load(environment: environment, projectDirectory: project.path)
        #expect(registry.find(provider: "box", id: "m")?.name == "project")
        #expect(registry.find(provider: "box", id: "m")?.source == .file(path: project.path + "/.pie/models.json"))
        #expect(registry.find(provider: "box", id: "only-home") != nil)

        project.write(".pie/models.json", #"{"models":[{"id":"m","api":"openai-completions"}]}"#)
        #expect(throws: ModelsFileError.self) {
            try ModelRegistry.load(environment: environment, projectDirectory: project.path)
        }
    }

    @Test func ds4IsRegisteredFromEnvironmentOrFlag() throws {
        let registry = try ModelRegistry.load(environment: PieEnvironment(["DS4_URL": "http://127.0.0.1:9000/v1"]), projectDirectory: nil)
        let ds4 = try #require(registry.find(provider: "ds4", id: "deepseek-v4-flash"))
        #expect(ds4.api == .openAIResponses)
        #expect(ds4.contextWindow == 100_000)
        #expect(ds4.maxTokens == 384_000)
        #expect(ds4.source == .environment("DS4_URL"))
        #expect(ds4.compat.thinkingFormat == .deepseek)

        let flagged = try ModelRegistry.load(
            environment: PieEnvironment(["DS4_BASE_URL": "http://a/v1"]), projectDirectory: nil, baseURLFlag: "http://b/v1")
        #expect(flagged.find(provider: "ds4", id: "deepseek-v4-flash")?.baseURL == "http://b/v1")
    }

    @Test func ds4ThinkingOffIsUnsupportedAndTheUserIsTold() {
        let ds4 = DS4.descriptor(baseURL: "http://127.0.0.1:9000/v1", source: .builtin)
        let resolution = ThinkingResolution(requested: .off, model: ds4)
        #expect(resolution.level == .minimal)
        #expect(resolution.wireValue == "low")
        #expect(resolution.notice?.contains("does not support thinking level off") == true)
        #expect(ds4.supportedThinkingLevels == [.minimal, .low, .medium, .high, .xhigh])
        #expect(ThinkingResolution(requested: .xhigh, model: ds4).wireValue == "xhigh")
    }

    @Test func selectionByProviderModelAndColonForms() throws {
        let registry = ModelRegistry()
        let keys = APIKeys(environment: PieEnvironment([:]))
        #expect(try registry.resolve(provider: nil, model: "anthropic:claude-sonnet-4-5", baseURL: nil, keys: keys).provider == "anthropic")
        let ollama = try registry.resolve(provider: "ollama", model: "qwen3:32b", baseURL: nil, keys: keys)
        #expect(ollama.id == "qwen3:32b")
        #expect(ollama.baseURL == "http://127.0.0.1:11434/v1")
        #expect(ollama.source == .flag("--model"))
        let colonID = try registry.resolve(provider: nil, model: "ollama:qwen3:32b", baseURL: nil, keys: keys)
        #expect(colonID.qualifiedID == "ollama:qwen3:32b")
        let overridden = try registry.resolve(provider: "llamacpp", model: nil, baseURL: "http://127.0.0.1:9999/v1", keys: keys)
        #expect(overridden.baseURL == "http://127.0.0.1:9999/v1")
        #expect(throws: ModelSelectionError.unknownProvider("nope", known: registry.providers)) {
            try registry.resolve(provider: "nope", model: nil, baseURL: nil, keys: keys)
        }
    }

    @Test func firstKeyInTheEnvironmentPicksTheDefaultProvider() throws {
        let registry = ModelRegistry()
        let keys = APIKeys(environment: PieEnvironment(["GROQ_API_KEY": "g", "OPENAI_API_KEY": "o"]))
        let model = try registry.resolve(provider: nil, model: nil, baseURL: nil, keys: keys)
        #expect(model.qualifiedID == "openai:gpt-4o-mini")
        #expect(keys.key(for: "openai") == "o")
        #expect(APIKeys(environment: PieEnvironment(["GOOGLE_API_KEY": "x"])).key(for: "google") == "x")
    }

    @Test func noModelErrorSaysHowToConfigureOne() {
        do {
            _ = try ModelRegistry().resolve(provider: nil, model: nil, baseURL: nil, keys: APIKeys(environment: PieEnvironment([:])))
            Issue.record("expected an error")
        } catch {
            #expect(error == .noModelConfigured)
            #expect(error.description.contains("--provider ollama"))
            #expect(error.description.contains("pie login"))
            #expect(error.description.contains("models.json"))
        }
    }

    @Test func authStoreWritesMode0600AndRoundTrips() throws {
        let directory = TemporaryDirectory()
        let store = try #require(AuthStore(environment: PieEnvironment(["PIE_DIR": directory.path + "/state"])))
        try store.setKey("sk-one", for: "openai")
        try store.setKey("dsv4-local", for: "ds4")
        #expect(try store.keys() == ["openai": "sk-one", "ds4": "dsv4-local"])
        #expect(directory.mode(of: "state/auth.json") == 0o600)
        #expect(try store.removeKey(for: "openai"))
        #expect(try store.removeKey(for: "openai") == false)
        #expect(try store.keys() == ["ds4": "dsv4-local"])
        let keys = APIKeys(environment: PieEnvironment([:]), saved: try store.keys())
        #expect(keys.key(for: "ds4") == "dsv4-local")
        #expect(keys.defaultProvider == "ds4")
    }

    @Test func configuredKeyIsAnEnvironmentNameOrALiteral() {
        let keys = APIKeys(environment: PieEnvironment(["BOX_KEY": "secret"]), configured: ["box": "BOX_KEY", "lit": "plain"])
        #expect(keys.key(for: "box") == "secret")
        #expect(keys.key(for: "lit") == "plain")
    }
}
