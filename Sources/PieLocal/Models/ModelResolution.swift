extension ModelRegistry {
    /// Picks the model for this run from `--provider`, `--model` (also `provider:model`) and
    /// `--base-url`, falling back to the provider whose key is found first.
    ///
    /// A model id the catalog does not list is accepted for a known provider (local servers
    /// serve whatever is loaded): it inherits that provider's API, URL and compat. `--base-url`
    /// replaces the chosen model's URL for this run; alone it selects DS4.
    public func resolve(
        provider requestedProvider: String?, model requestedModel: String?, baseURL: String?, keys: APIKeys
    ) throws(ModelSelectionError) -> ModelDescriptor {
        var provider = requestedProvider?.trimmingSpaces()
        var modelID = requestedModel?.trimmingSpaces()
        if provider?.isEmpty == true { provider = nil }
        if modelID?.isEmpty == true { modelID = nil }
        // `provider:model`, but only when the prefix is a provider: Ollama ids contain colons.
        if provider == nil, let id = modelID, let colon = id.firstIndex(of: ":"),
           providers.contains(String(id[..<colon]))
        {
            provider = String(id[..<colon])
            modelID = String(id[id.index(after: colon)...])
        }
        let override = baseURL?.trimmingSpaces()
        let hasOverride = override.map { !$0.isEmpty } ?? false
        if provider == nil && modelID == nil {
            provider = hasOverride && find(provider: DS4.provider, id: DS4.modelID) != nil ? DS4.provider : keys.defaultProvider
        }
        var model = try pick(provider: provider, id: modelID)
        if hasOverride, let override {
            model.baseURL = override
            model.source = model.source == .builtin ? .flag("--base-url") : model.source
        }
        return model
    }

    private func pick(provider: String?, id: String?) throws(ModelSelectionError) -> ModelDescriptor {
        switch (provider, id) {
        case (nil, nil):
            throw .noModelConfigured
        case (nil, let id?):
            if let match = models.first(where: { $0.id == id }) { return match }
            throw .unknownModel(id, provider: nil, available: models.map(\.qualifiedID))
        case (let provider?, let id):
            let candidates = models.filter { $0.provider == provider }
            guard let template = candidates.first else { throw .unknownProvider(provider, known: providers) }
            guard let id else {
                let preferred = BuiltinCatalog.defaultModels[provider]
                return candidates.first(where: { $0.id == preferred }) ?? template
            }
            if let match = candidates.first(where: { $0.id == id }) { return match }
            var adopted = template
            adopted.id = id
            adopted.name = id
            adopted.source = .flag("--model")
            return adopted
        }
    }
}
