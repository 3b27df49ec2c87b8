import KerasJSON

/// Draws a `compile_config` as `model.get_compile_config()` writes it: an optimizer of the ten Keras
/// ships, its learning rate a number or a schedule, sometimes gradient clipping; a loss as a string or an
/// object; zero to two metrics. Every object starts from its Keras 3.15.1 template (``KerasTemplates``).
///
/// Losses and metrics are the ones defined for any float prediction shape, so the config also compiles for
/// the generated model's outputs. ``drawVariant(_:_:)`` then picks the optimizer's variant (SGD with or
/// without momentum, Adam with or without amsgrad, RMSprop's momentum and centered), whose state layout the
/// `optimizer_slots` templates give (``OptimizerSlots``); ``GeneratedModel/instantiate(options:)`` gives the
/// model that state as after a few training steps.
struct CompileSampler {
    let catalogue = TemplateCatalogue.shared

    func draw(_ choices: inout Choices) -> JSONValue {
        var optimizer = catalogue.object("optimizers", choices.element(of: catalogue.names("optimizers")))
        let rate: JSONValue
        if choices.bool(0.3) {
            let schedule = catalogue.object("schedules", choices.element(of: catalogue.names("schedules")))
            rate = schedule["config"]?["initial_learning_rate"] == nil ? schedule
                : schedule.settingConfig([("initial_learning_rate", .double(choices.element(of: [0.1, 0.01, 0.001])))])
        } else {
            rate = .double(choices.element(of: [0.1, 0.01, 0.001, 0.0005]))
        }
        optimizer = optimizer.settingConfig([("learning_rate", rate)])
        if choices.bool(0.2) { optimizer = optimizer.settingConfig([("clipnorm", .double(choices.element(of: [0.5, 1.0, 5.0])))]) }
        let loss: JSONValue = choices.bool()
            ? .string(choices.element(of: catalogue.names("loss_strings")))
            : catalogue.object("losses", choices.element(of: catalogue.names("losses")))
        let metrics = (0..<choices.int(in: 0...2)).map { _ -> JSONValue in
            choices.bool() ? .string(choices.element(of: catalogue.names("metric_strings")))
                : catalogue.object("metrics", choices.element(of: catalogue.names("metrics")))
        }
        return catalogue.object("compile", "compile_config")
            .setting("optimizer", optimizer)
            .setting("loss", loss)
            .setting("metrics", metrics.isEmpty ? .null : .array(metrics))
    }

    /// `compileConfig` with its optimizer turned into one of its class's drawn variants (its overrides set).
    func drawVariant(_ compileConfig: JSONValue, _ choices: inout Choices) -> JSONValue {
        guard let optimizer = compileConfig["optimizer"], let className = optimizer["class_name"]?.stringValue else { return compileConfig }
        let variants = OptimizerSlots.variants(of: className)
        guard !variants.isEmpty else { return compileConfig }
        let variant = choices.element(of: variants)
        guard case .object(let overrides) = variant.overrides else { return compileConfig }
        return compileConfig.setting("optimizer", optimizer.settingConfig(overrides.map { ($0.key, $0.value) }))
    }
}
