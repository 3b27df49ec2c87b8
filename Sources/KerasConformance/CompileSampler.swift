import KerasJSON

/// Draws a `compile_config` as `model.get_compile_config()` writes it: an optimizer of the ten Keras
/// ships, its learning rate a number or a schedule, sometimes gradient clipping; a loss as a string or an
/// object; zero to two metrics. Every object starts from its Keras 3.15.1 template (``KerasTemplates``).
///
/// Losses and metrics are the ones defined for any float prediction shape, so the config also compiles for
/// the generated model's outputs. A generated model has no optimizer variables (it was never trained):
/// Keras builds the optimizer on load and finds nothing to restore, as for a model compiled and saved
/// before its first step.
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
}
