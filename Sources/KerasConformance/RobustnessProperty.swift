import KerasBytes
import KerasFormat
import KerasJSON
import KerasReference

/// Property 5, robustness: damaged files are refused with a rule id, never a crash, a hang, or memory
/// beyond the limits.
///
/// For one file's bytes it tries every strict prefix up to ``Settings/allPrefixesUpTo`` bytes, then
/// ``Settings/sampledPrefixes`` more evenly spaced up to the longest strict prefix, and
/// ``Settings/mutations`` mutations from ``FileMutator``. Each input is read with `KerasFile.read`,
/// checked with `Checker`, and, when no finding is an error, loaded with `loadModel` (never `predict`).
/// It must end in a refusal that names a rule (every finding's rule is in the catalogue; a load error
/// carries a `KC-REF` code and a reason), or for a mutation in a clean load (a reordered archive is
/// still valid; counted in ``Report/accepted``). A strict prefix must be refused. Every input must
/// finish within ``Settings/budgetPerInput``. A crash ends the process and so fails the run; memory is
/// bounded by ``Settings/limits``.
///
/// The config-level variant (``checkConfigs(archive:name:mutations:choices:)``) puts configs from
/// ``ConfigMutator`` into an otherwise valid archive: each must be refused by the checker or the
/// reference core (for graph errors kconform meets only when the graph runs, by a run on zeros), with
/// one of the mutation's expected rule ids.
public struct RobustnessProperty: Sendable {
    /// How much the property tries per file, and its budgets.
    public struct Settings: Sendable {
        /// Every strict prefix shorter than or as long as this is tried. Default 64: the zip local header
        /// and HDF5 superblock signatures and fixed fields lie there, where each byte matters.
        public var allPrefixesUpTo = 64
        /// Longer strict prefixes tried, evenly spaced, the longest strict prefix always among them.
        /// Default 24: prefixes of a valid file fail at the end record or the end-of-file address, so
        /// more of them find little more.
        public var sampledPrefixes = 24
        /// Mutations tried per file. Default 16.
        public var mutations = 16
        /// Wall-clock time one input may take (read, check, load or run). Default 2 s: kconform promises
        /// 2 s per 100 MB, and the inputs here are at most a few MB, in a debug build on a loaded machine.
        public var budgetPerInput: Duration = .seconds(2)
        /// The reader budgets. Default: ``ReadLimits`` with the data budgets cut to 64 MiB per member or
        /// dataset and 256 MiB in total, and 65,536 HDF5 objects (the fuzz targets' object budget: the
        /// default million costs many seconds on an aliasing bomb in a debug build). Golden and generated
        /// files are far below.
        public var limits: ReadLimits = {
            var limits = ReadLimits()
            limits.zip.maxMemberUncompressedSize = 64 << 20
            limits.zip.maxTotalUncompressedSize = 256 << 20
            limits.hdf5.maxObjects = 1 << 16
            limits.hdf5.maxDeclaredDatasetBytes = 64 << 20
            limits.hdf5.maxTotalDeclaredBytes = 256 << 20
            limits.maxUnstoredDatasetBytes = 64 << 20
            return limits
        }()
        /// How `loadModel` is called. Default: safe mode on, compile on (Keras's defaults).
        public var loadOptions = LoadOptions()
        /// Accepted mutations whose description ``Report/acceptedMutations`` keeps. Default 20.
        public var keptDescriptions = 20

        /// The defaults.
        public init() {}
    }

    /// How one input ended.
    public enum Outcome: Sendable, Equatable {
        /// Refused: the rule of the first error finding or of the load error, and every rule id given.
        case rejected(ruleID: String, allRuleIDs: [String])
        /// Read, checked and loaded without an error.
        case accepted

        /// The rule id of a refusal, nil for a clean load.
        public var ruleID: String? {
            if case .rejected(let ruleID, _) = self { return ruleID }
            return nil
        }
    }

    /// What a run over one file (or several, added up) tried and saw.
    public struct Report: Sendable {
        /// Inputs read: prefixes plus mutations.
        public var inputs = 0
        /// Strict prefixes tried.
        public var prefixes = 0
        /// Mutations tried.
        public var mutations = 0
        /// Refusals by rule id.
        public var rejectedByRule: [String: Int] = [:]
        /// Mutations that loaded cleanly (the mutation kept the file valid).
        public var accepted = 0
        /// Mutations tried, by kind name.
        public var mutationsByKind: [String: Int] = [:]
        /// Descriptions of the first accepted mutations.
        public var acceptedMutations: [String] = []
        /// The longest time one input took.
        public var slowest: Duration = .zero

        /// An empty report.
        public init() {}

        /// Inputs refused with a rule id.
        public var rejected: Int { rejectedByRule.values.reduce(0, +) }

        /// Adds `other`'s counts.
        public mutating func merge(_ other: Report) {
            inputs += other.inputs
            prefixes += other.prefixes
            mutations += other.mutations
            accepted += other.accepted
            rejectedByRule.merge(other.rejectedByRule, uniquingKeysWith: +)
            mutationsByKind.merge(other.mutationsByKind, uniquingKeysWith: +)
            acceptedMutations += other.acceptedMutations
            slowest = max(slowest, other.slowest)
        }
    }

    /// What the config-level variant tried and saw.
    public struct ConfigReport: Sendable {
        /// Mutated configs tried.
        public var mutations = 0
        /// Mutated configs, by kind name.
        public var mutationsByKind: [String: Int] = [:]
        /// Refusals by rule id.
        public var rejectedByRule: [String: Int] = [:]
        /// Mutations kconform refused only when the graph ran (Keras refuses them at load).
        public var refusedWhenRun = 0
        /// Mutations that loaded but could not be run because the unmutated model cannot run on zeros
        /// either (a layer without forward math): not decided.
        public var undecided = 0
        /// Archives skipped because their unmutated config is already refused (nothing to mutate from).
        public var skippedArchives = 0

        /// An empty report.
        public init() {}

        /// Adds `other`'s counts.
        public mutating func merge(_ other: ConfigReport) {
            mutations += other.mutations
            mutationsByKind.merge(other.mutationsByKind, uniquingKeysWith: +)
            rejectedByRule.merge(other.rejectedByRule, uniquingKeysWith: +)
            refusedWhenRun += other.refusedWhenRun
            undecided += other.undecided
            skippedArchives += other.skippedArchives
        }
    }

    /// A valid archive prepared for config mutations: its members, where `config.json` is, and how the
    /// unmutated model fares.
    public struct ConfigSubject: Sendable {
        /// The archive's name.
        public let name: String
        /// The mutator over the archive's config.
        public let mutator: ConfigMutator
        /// Whether the unmutated archive passes the checker and loads.
        public let loads: Bool
        /// Whether the unmutated model also runs on zeros (so that a run can decide graph errors).
        public let runs: Bool
        let archive: FileMutator.ZipModel
        let configMember: Int

        /// The archive with `config` as its `config.json` (stored, with a correct CRC).
        public func archive(with config: JSONValue) -> [UInt8] {
            var model = archive
            model.local[configMember] = archive.local[configMember].replacingData(JSONWriter.dumpBytes(config))
            model.central[configMember] = model.local[configMember]
            return model.assemble()
        }
    }

    /// The property's name in reports and violations.
    public static let name = "robustness"

    /// The settings.
    public var settings: Settings

    /// The property with `settings`.
    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    // MARK: Files

    /// The strict prefix lengths tried for a file of `count` bytes, ascending.
    public func prefixLengths(of count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let dense = min(count - 1, settings.allPrefixesUpTo)
        var lengths = Array(0...dense)
        let rest = count - 1 - dense
        if rest > 0, settings.sampledPrefixes > 0 {
            let samples = min(rest, settings.sampledPrefixes)
            for index in 1...samples { lengths.append(dense + (rest * index) / samples) }
        }
        return lengths
    }

    /// Runs the prefixes and ``Settings/mutations`` mutations of one file; throws the first violation.
    public func check(bytes: [UInt8], name: String, choices: inout Choices) throws(PropertyViolation) -> Report {
        var report = Report()
        for length in prefixLengths(of: bytes.count) {
            let outcome = try evaluate(Array(bytes[0..<length]), name: name, label: "prefix of \(length) bytes", report: &report)
            report.prefixes += 1
            if outcome == .accepted {
                throw PropertyViolation(Self.name, "\(name): the strict prefix of \(length) of \(bytes.count) bytes loads cleanly")
            }
        }
        let mutator = FileMutator(bytes: bytes, name: name)
        for _ in 0..<settings.mutations {
            let mutation = mutator.mutate(&choices)
            report.mutations += 1
            report.mutationsByKind[mutation.name, default: 0] += 1
            let outcome = try evaluate(mutation.bytes, name: name, label: mutation.description, report: &report)
            if outcome == .accepted {
                report.accepted += 1
                if report.acceptedMutations.count < settings.keptDescriptions { report.acceptedMutations.append("\(name): \(mutation)") }
            }
        }
        return report
    }

    /// Reads, checks and (when no finding is an error) loads one input; throws when the outcome names no
    /// known rule or the input takes longer than the budget.
    public func evaluate(_ bytes: [UInt8], name: String) throws(PropertyViolation) -> Outcome {
        var report = Report()
        return try evaluate(bytes, name: name, label: "\(bytes.count) bytes", report: &report)
    }

    private func evaluate(_ bytes: [UInt8], name: String, label: String, report: inout Report) throws(PropertyViolation) -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try outcome(bytes, name: name, label: label)
        let elapsed = clock.now - start
        report.inputs += 1
        report.slowest = max(report.slowest, elapsed)
        if let ruleID = outcome.ruleID { report.rejectedByRule[ruleID, default: 0] += 1 }
        if elapsed > settings.budgetPerInput {
            throw PropertyViolation(Self.name, "\(name): \(label) took \(elapsed), over the budget of \(settings.budgetPerInput)")
        }
        return outcome
    }

    private func outcome(_ bytes: [UInt8], name: String, label: String) throws(PropertyViolation) -> Outcome {
        let (outcome, _) = try load(bytes, name: name, label: label)
        return outcome
    }

    /// The outcome of reading, checking and loading, and the model when it loaded.
    private func load(_ bytes: [UInt8], name: String, label: String) throws(PropertyViolation) -> (Outcome, KerasModel?) {
        let file = KerasFile.read(bytes: ByteView(copying: bytes), name: name, limits: settings.limits)
        let result = Checker(limits: settings.limits).check(file)
        if let unknown = result.findings.first(where: { RuleCatalogue.rule(id: $0.ruleID) == nil }) {
            throw PropertyViolation(Self.name, "\(name): \(label): a finding names no catalogued rule: \(unknown)")
        }
        let errors = result.findings.filter { $0.severity == .error }
        if let first = errors.first {
            return (.rejected(ruleID: first.ruleID, allRuleIDs: errors.map(\.ruleID)), nil)
        }
        do throws(ReferenceError) {
            return (.accepted, try loadModel(file, options: settings.loadOptions))
        } catch {
            return (try refusal(error, name: name, label: label), nil)
        }
    }

    private func refusal(_ error: ReferenceError, name: String, label: String) throws(PropertyViolation) -> Outcome {
        guard ReferenceError.Code.all.contains(error.code), !error.reason.isEmpty else {
            throw PropertyViolation(Self.name, "\(name): \(label): the load error has no known code or no reason: \(error.code.ruleID)")
        }
        return .rejected(ruleID: error.code.ruleID, allRuleIDs: [error.code.ruleID])
    }

    /// Runs `model` once on zeros (unknown dimensions 1), as Keras builds a model on first call; nil when it ran.
    private func runOnZeros(_ model: KerasModel) -> ReferenceError? {
        var inputs: [Tensor] = []
        for shape in model.inputShapes {
            guard !shape.isEmpty else { return ReferenceError(ReferenceError.Code.inputMismatch, "an input of unknown rank") }
            inputs.append(Tensor(zeros: shape.map { $0 ?? 1 }))
        }
        do throws(ReferenceError) { _ = try model.predict(inputs) } catch { return error }
        return nil
    }

    // MARK: Configs

    /// Prepares a `.keras` archive for config mutations; nil when it has no stored, parseable `config.json`.
    public func configSubject(archive bytes: [UInt8], name: String) -> ConfigSubject? {
        guard let model = FileMutator.ZipModel(bytes),
              let member = model.local.firstIndex(where: { String(decoding: $0.rawName, as: UTF8.self) == "config.json" }),
              model.local[member].method == 0,
              let config = try? JSONReader.parse(ByteView(copying: model.local[member].data)) else { return nil }
        let loaded = try? load(bytes, name: name, label: "unmutated")
        let runs = loaded?.1.map { runOnZeros($0) == nil } ?? false
        return ConfigSubject(name: name, mutator: ConfigMutator(config: config), loads: loaded?.1 != nil, runs: runs,
                             archive: model, configMember: member)
    }

    /// Checks one config mutation in `subject` (which must load): the archive must be refused with one of
    /// the expected rule ids, at load, or (for graph errors kconform meets when running) by a run on zeros.
    /// Adds to `report`.
    public func checkConfig(_ mutation: ConfigMutation, in subject: ConfigSubject, report: inout ConfigReport) throws(PropertyViolation) {
        let label = "mutated config \(mutation)"
        let clock = ContinuousClock()
        let start = clock.now
        report.mutations += 1
        report.mutationsByKind[mutation.name, default: 0] += 1
        var (outcome, model) = try load(subject.archive(with: mutation.config), name: subject.name, label: label)
        if let model {
            guard mutation.detectedWhenRun else {
                throw PropertyViolation(Self.name, "\(subject.name): \(label) loads cleanly")
            }
            guard subject.runs else {
                report.undecided += 1
                return
            }
            guard let error = runOnZeros(model) else {
                throw PropertyViolation(Self.name, "\(subject.name): \(label) loads and runs")
            }
            outcome = try refusal(error, name: subject.name, label: label)
            report.refusedWhenRun += 1
        }
        guard case .rejected(let ruleID, let all) = outcome else { return }
        report.rejectedByRule[ruleID, default: 0] += 1
        if !mutation.expectedRuleIDs.isEmpty, mutation.expectedRuleIDs.isDisjoint(with: all) {
            throw PropertyViolation(Self.name, "\(subject.name): \(label) is refused with \(all.joined(separator: ", ")), not the expected rule")
        }
        let elapsed = clock.now - start
        if elapsed > settings.budgetPerInput {
            throw PropertyViolation(Self.name, "\(subject.name): \(label) took \(elapsed), over the budget of \(settings.budgetPerInput)")
        }
    }

    /// Checks `count` config mutations of a `.keras` archive drawn from `choices`. An archive whose
    /// unmutated config is refused, or that has no config, is skipped (counted).
    public func checkConfigs(archive bytes: [UInt8], name: String, mutations count: Int, choices: inout Choices) throws(PropertyViolation) -> ConfigReport {
        var report = ConfigReport()
        guard let subject = configSubject(archive: bytes, name: name), subject.loads else {
            report.skippedArchives = 1
            return report
        }
        for _ in 0..<count {
            guard let mutation = subject.mutator.mutate(&choices) else { break }
            try checkConfig(mutation, in: subject, report: &report)
        }
        return report
    }
}
