import KerasFormat
import Testing

/// Verdicts of the safety policy on single references, as Keras 3.15.1 would resolve them.
@Suite struct SafetyPolicyTests {
    let policy = SafetyPolicy()

    func rule(_ verdict: SafetyVerdict) -> String? {
        if case .refused(let rule, _) = verdict { return rule.id }
        return nil
    }

    @Test func allowListComesFromKeras3151() {
        #expect(SafetyPolicy.kerasVersion == "3.15.1")
    }

    @Test func exportedAndInternalModellingClassesAreAllowed() {
        for (module, name) in [("keras.layers", "Dense"), ("keras", "Sequential"), ("keras.models", "Sequential"),
                               ("keras", "DTypePolicy"), ("keras.optimizers", "Adam"), ("keras.initializers", "GlorotUniform"),
                               ("keras.src.models.functional", "Functional"), ("keras.src.ops.numpy", "Add"),
                               ("keras.optimizers.schedules", "ExponentialDecay"), ("keras.dtype_policies", "QuantizedDTypePolicy")] {
            #expect(policy.allowed(module: module, className: name, registeredName: nil).isAccepted, "\(module).\(name)")
        }
        #expect(policy.allowed(module: "keras.src.models.functional", className: "Functional", registeredName: "Functional").isAccepted)
    }

    @Test func classesOutsideKerasAreUnknownObjects() {
        #expect(rule(policy.allowed(module: "subprocess", className: "Popen", registeredName: "Popen")) == "KC-SAFE-002")
        #expect(rule(policy.allowed(module: "builtins", className: "eval", registeredName: nil)) == "KC-SAFE-002")
        #expect(rule(policy.allowed(module: "keras_hub.src.models", className: "Backbone", registeredName: "keras_hub>Backbone")) == "KC-SAFE-002")
        #expect(rule(policy.allowed(module: nil, className: "MyLayer", registeredName: "my>MyLayer")) == "KC-SAFE-002")
    }

    @Test func nonModellingKerasClassesAreRefused() {
        #expect(rule(policy.allowed(module: "keras.callbacks", className: "TensorBoard", registeredName: nil)) == "KC-SAFE-003")
        #expect(rule(policy.allowed(module: "keras.saving", className: "KerasFileEditor", registeredName: nil)) == "KC-SAFE-003")
        #expect(rule(policy.allowed(module: "keras.layers", className: "NoSuchLayer", registeredName: nil)) == "KC-SAFE-003")
    }

    @Test func layersThatLoadOtherModelsAreRefusedUnderEveryName() {
        for (module, name) in [("keras.layers", "TFSMLayer"), ("keras.src.export.tfsm_layer", "TFSMLayer"),
                               ("keras.layers", "TorchModuleWrapper"), ("keras.src.utils.torch_utils", "TorchModuleWrapper")] {
            #expect(rule(policy.allowed(module: module, className: name, registeredName: nil)) == "KC-SAFE-006", "\(module).\(name)")
        }
        #expect(rule(policy.allowed(module: nil, className: "TFSMLayer", registeredName: nil)) == "KC-SAFE-006")
    }

    @Test func builtInsWithAForeignRegisteredNameAreRefused() {
        #expect(rule(policy.allowed(module: "keras.layers", className: "Dense", registeredName: "evil>Dense")) == "KC-SAFE-004")
        #expect(rule(policy.allowedFunction(module: "builtins", name: "relu", registeredName: "evil>relu")) == "KC-SAFE-004")
        #expect(policy.allowedFunction(module: "builtins", name: "relu", registeredName: "function").isAccepted)
    }

    @Test func moduleLessNamesResolveLikeTheLegacyLoader() {
        guard case .allowed(let object) = policy.allowed(module: nil, className: "Lambda", registeredName: "Lambda") else {
            Issue.record("Lambda is not allowed")
            return
        }
        #expect(object.traits.contains(.lambda))
        #expect(policy.allowed(module: nil, className: "GlorotUniform", registeredName: nil).isAccepted)
        #expect(rule(policy.allowed(module: nil, className: "TFOpLambda", registeredName: nil)) == "KC-SAFE-007")
        #expect(rule(policy.allowed(module: nil, className: "NotAKerasLayer", registeredName: nil)) == "KC-SAFE-002")
    }

    @Test func mathFunctionsAreAllowedAndGadgetsAreNot() {
        for (module, name) in [("builtins", "relu"), ("builtins", "mean_squared_error"), ("keras.ops", "add"),
                               ("keras.activations", "gelu"), ("keras.ops.image", "resize"), ("keras.losses", "huber")] {
            #expect(policy.allowedFunction(module: module, name: name, registeredName: "function").isAccepted, "\(module).\(name)")
        }
        for (module, name) in [("keras.utils", "get_file"), ("keras.config", "enable_unsafe_deserialization"),
                               ("keras.models", "load_model"), ("keras.saving", "load_model"), ("keras.ops", "while_loop"),
                               ("keras.ops", "cond"), ("keras.config", "disable_interactive_logging"), ("keras.utils", "plot_model"),
                               ("builtins", "deserialize"), ("keras.activations", "get")] {
            #expect(rule(policy.allowedFunction(module: module, name: name, registeredName: "function")) == "KC-SAFE-003", "\(module).\(name)")
        }
        for (module, name): (String?, String) in [("os", "system"), ("builtins", "eval"), ("builtins", "abs"), (nil, "f")] {
            #expect(rule(policy.allowedFunction(module: module, name: name, registeredName: "function")) == "KC-SAFE-002", "\(name)")
        }
    }

    @Test func registrationsMatchWhatKerasLooksUp() throws {
        let registered = SafetyPolicy(registrations: ["my_pkg>Block", "my_pkg>scale", "corp>*", "Plain"].compactMap(AllowRegistration.init))
        #expect(registered.allowed(module: "my_project.layers", className: "Block", registeredName: "my_pkg>Block").isAccepted)
        #expect(registered.allowedFunction(module: "builtins", name: "my_pkg>scale", registeredName: "function").isAccepted)
        #expect(registered.allowed(module: "corp.models.deep", className: "Anything", registeredName: "Anything").isAccepted)
        #expect(registered.allowed(module: nil, className: "X", registeredName: "corp>X").isAccepted)
        #expect(registered.allowed(module: "__main__", className: "Plain", registeredName: "Plain").isAccepted)
        #expect(!registered.allowed(module: "my_project.layers", className: "Other", registeredName: "my_pkg>Other").isAccepted)
        #expect(!registered.allowed(module: "corporate", className: "X", registeredName: "X").isAccepted)
        let byModule = SafetyPolicy(registrations: [try #require(AllowRegistration("os>system"))])
        #expect(byModule.allowedFunction(module: "os", name: "system", registeredName: "function").isAccepted)
    }

    @Test func malformedRegistrationsAreRejected() {
        for text in ["", ">x", "x>", "a>b>c", "*", "a b"] { #expect(AllowRegistration(text) == nil, "\(text)") }
        #expect(AllowRegistration("pkg>*")?.description == "pkg>*")
    }

    @Test func allowFilesSkipCommentsAndNameTheBadLine() throws {
        let good = try SafetyPolicy.registrations(fromText: "# org objects\n\nacme>Block  # the block\nacme>*\n", path: "allow.txt")
        #expect(good.map(\.description) == ["acme>Block", "acme>*"])
        #expect(throws: AllowFileError.self) { try SafetyPolicy.registrations(fromText: "ok>A\nbad line\n", path: "allow.txt") }
        do {
            _ = try SafetyPolicy.registrations(fromText: "ok>A\nbad line\n", path: "allow.txt")
        } catch {
            #expect(error.line == 2)
        }
        #expect(throws: AllowFileError.self) { try SafetyPolicy.registrations(fromFile: "/nonexistent/kconform-allow.txt") }
    }

    @Test func everySafetyRuleIsCataloguedWithItsThreatClass() {
        for rule in Rule.safetyRules {
            #expect(RuleCatalogue.rule(id: rule.id) == rule)
            #expect(rule.threat != .structural, "\(rule.id)")
            #expect(rule.source == .safety)
        }
        #expect(Rule.lambdaCode.severity == .error && Rule.lambdaLayer.severity == .warning)
        #expect(Rule.softLink.threat == .b2 && Rule.externalStorage.threat == .b3 && Rule.npzWeights.threat == .c5)
        #expect(RuleCatalogue.rule(id: "KC-ZIP-042")?.threat == .c1 && RuleCatalogue.rule(id: "KC-ZIP-027")?.threat == .c4)
        #expect(RuleCatalogue.rule(id: "KC-NPY-006")?.threat == .c5)
    }
}
