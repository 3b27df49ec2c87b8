import Foundation
import KerasBytes
import KerasFormat
import KerasReference

/// Runs the conformance properties on generated models, each property a ``CaseResult``.
///
/// Per case: the model is generated (``GeneratedCase``), instantiated with seeded weights and run on
/// seeded inputs; then `kconform check` on its archive (no error finding: no false alarm on a model Keras
/// could have written), property 1 per ``SaveFormat``, property 2, property 3 with one lambda placement,
/// property 4 against the next case's architecture, and (every ``Settings/robustnessEvery``-th case)
/// properties 5 and 6 on the saved `.keras` archive and its `.h5` legacy file. A model kconform cannot
/// run (a layer without forward math) makes its cases `unsupported`, never passes.
public struct PropertySuite: Sendable {
    /// What a run covers.
    public struct Settings: Sendable {
        /// The generator's settings. Default: ``GeneratorSettings`` (up to 10 layers).
        public var generator = GeneratorSettings()
        /// The formats of property 1. Default: every ``SaveFormat``.
        public var formats = SaveFormat.allCases
        /// Properties 5 and 6 run on every n-th case (0: never). Default 4: they try about 100 damaged
        /// files per case, ten times the cost of the other properties.
        public var robustnessEvery = 4
        /// The settings of property 5.
        public var robustness = RobustnessProperty.Settings()
        /// The batch of the inputs. Default 2.
        public var batch = 2

        /// The defaults.
        public init() {}
    }

    /// The settings.
    public var settings: Settings
    /// A scratch folder for files written to disk.
    public var directory: String
    /// The command that replays case `index` of a run with `seed`, for reports.
    public var replayCommand: @Sendable (_ seed: UInt64, _ index: Int) -> String

    /// A suite writing into `directory`.
    public init(settings: Settings = Settings(), directory: String,
                replayCommand: @escaping @Sendable (UInt64, Int) -> String = { "kconform conform --seed \($0) --index \($1)" }) {
        self.settings = settings
        self.directory = directory
        self.replayCommand = replayCommand
    }

    /// The results of every property on case `index` of the run with `seed`.
    public func run(seed: UInt64, index: Int) -> [CaseResult] {
        let generated = GeneratedCase(seed: seed, index: index, settings: settings.generator)
        let model = generated.model
        let replay = replayCommand(seed, index)
        func result(_ property: String, _ format: String, _ outcome: CaseOutcome, _ detail: String = "") -> CaseResult {
            CaseResult(name: generated.name, source: "generated", property: property, format: format, outcome: outcome,
                       detail: detail, replay: replay, layers: model.layerClasses)
        }
        let instance: KerasModel, inputs: [Tensor], expected: [Tensor]
        do throws(ReferenceError) {
            instance = try model.instantiate()
            inputs = model.makeInputs(batch: settings.batch)
            expected = try instance.predict(inputs)
        } catch {
            let outcome: CaseOutcome = error.code == ReferenceError.Code.notImplemented ? .unsupported : .fail
            return [result("generate", "config", outcome, "\(error.code.ruleID) \(error.code.name): \(error.reason) at \(error.location)")]
        }
        var results: [CaseResult] = []
        func record(_ property: String, _ format: String, _ body: () throws(PropertyViolation) -> Void) {
            let clock = ContinuousClock(), start = clock.now
            var outcome = result(property, format, .pass)
            do throws(PropertyViolation) { try body() } catch { outcome = result(property, format, .fail, error.detail) }
            let elapsed = (clock.now - start).components
            outcome.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
            results.append(outcome)
        }
        let scratch = directory + "/" + generated.name
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for format in settings.formats {
            record(RoundTripProperty.name, format.label) { () throws(PropertyViolation) in
                try RoundTripProperty(formats: [format], directory: scratch).check(instance, config: model, inputs: inputs, expected: expected, caseName: generated.name)
            }
        }
        record("no-false-alarm", ".keras") { () throws(PropertyViolation) in
            let archive: [UInt8]
            do throws(ReferenceError) { archive = try instance.archiveBytes() } catch {
                throw PropertyViolation("no-false-alarm", "cannot save: \(error.reason)")
            }
            let checked = Checker().check(KerasFile.read(bytes: ByteView(copying: archive), name: generated.name + ".keras"))
            if let alarm = checked.findings.first(where: { $0.severity == .error }) {
                throw PropertyViolation("no-false-alarm", "kconform check reports \(alarm.ruleID) on a valid generated model: \(alarm.message) at \(alarm.location)")
            }
        }
        record(NameStabilityProperty.name, ".keras") { () throws(PropertyViolation) in try NameStabilityProperty.check(instance, caseName: generated.name) }
        var choices = Choices(seed: GeneratedCase.caseSeed(seed: seed, index: index) ^ 0x5AFE)
        let placement = SafeModeProperty.place(in: model.config, &choices)
        record(SafeModeProperty.name, "config") { () throws(PropertyViolation) in _ = try SafeModeProperty.check(placement, inputs: inputs) }
        let other = GeneratedCase(seed: seed, index: index + 1, settings: settings.generator).model
        record(WeightsOnlyProperty.name, ".weights.h5") { () throws(PropertyViolation) in
            _ = try WeightsOnlyProperty(directory: scratch).check(instance, config: model, other: other, inputs: inputs, expected: expected, caseName: generated.name)
        }
        if settings.robustnessEvery > 0, index % settings.robustnessEvery == 0 {
            let archive: [UInt8]
            do throws(ReferenceError) { archive = try instance.archiveBytes() } catch {
                results.append(result("robustness", ".keras", .fail, "cannot save: \(error.reason)"))
                return results
            }
            let property = RobustnessProperty(settings: settings.robustness)
            record("robustness", ".keras") { () throws(PropertyViolation) in _ = try property.check(bytes: archive, name: generated.name + ".keras", choices: &choices) }
            record(OracleProperty.name, ".keras") { () throws(PropertyViolation) in _ = try OracleProperty.check(bytes: archive, name: generated.name + ".keras") }
        }
        return results
    }
}
