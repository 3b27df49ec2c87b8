import ArgumentParser
import Foundation
import KerasFormat
import KerasReference
#if canImport(Glibc)
import Glibc
#endif

/// `kconform predict-probe FILE` (hidden): the child process of `check --load`'s zero-input predict. It
/// limits its own address space and CPU time before it opens the file, loads the model in safe mode, runs
/// it once on zeros and prints one JSON line: `{"outputs": [[1, 3], ...]}` or `{"phase": "load"|"predict", "ruleId": ..., "message": ...}`.
/// Going over a limit ends it (an allocation failure or SIGXCPU/SIGKILL); the parent reports that.
struct PredictProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-probe",
        abstract: "Internal: the limited child process of check --load's zero-input predict.",
        shouldDisplay: false
    )

    @Argument var path: String
    @Option(name: .customLong("memory-mib")) var memoryMiB: Int = PredictProbe.defaultMemoryMiB
    @Option(name: .customLong("cpu-seconds")) var cpuSeconds: Int = PredictProbe.defaultCPUSeconds

    func run() throws {
        PredictProbe.limitSelf(memoryMiB: memoryMiB, cpuSeconds: cpuSeconds)
        var line: [String: Any]
        let model: KerasModel
        do throws(ReferenceError) { model = try loadModel(from: path) } catch {
            // The parent loaded it before: failing here means the limits were too tight to load at all.
            line = ["phase": "load", "ruleId": error.code.ruleID,
                    "message": error.location.isEmpty ? error.reason : "\(error.reason) (at \(error.location))"]
            try print(line)
            return
        }
        let objects = model.saveableObjects
        let loaded: [String: Any] = ["objects": objects.count, "variables": objects.reduce(0) { $0 + $1.layer.variables.count }]
        do throws(ReferenceError) {
            guard let inputs = try model.zeroInputs(maxElements: PredictProbe.maxInputElements) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "an input shape is unknown or holds more than \(PredictProbe.maxInputElements) elements")
            }
            let outputs = try model.predict(inputs)
            line = loaded.merging(["outputs": outputs.map(\.shape)]) { $1 }
        } catch {
            line = loaded.merging(["phase": "predict", "ruleId": error.code.ruleID, "message": error.reason]) { $1 }
        }
        try print(line)
    }

    private func print(_ line: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// The limits of the zero-input predict and the setting of them in the child.
enum PredictProbe {
    /// Default address-space limit of the child: 4 GiB, room for the mapped file, the weights and the
    /// intermediate tensors of every golden and application model (ResNet50 peaks under 1 GiB).
    static let defaultMemoryMiB = 4096
    /// Default CPU-time limit of the child: 60 s, about 200 times a ResNet50 predict at batch 1 here.
    static let defaultCPUSeconds = 60
    /// The accepted `--predict-memory` values in MiB: at least the 64 MiB a Swift process needs to start,
    /// at most 16 TiB (so that the limit in bytes fits in `rlim_t`).
    static let memoryRange = 64...(1 << 24)
    /// The accepted `--predict-seconds` values: 0 (no probe) to a day.
    static let secondsRange = 0...86_400

    /// The most elements one zero input may have (2^28, 1 GiB of float32), checked before allocating it.
    static let maxInputElements = 1 << 28

    static func limitSelf(memoryMiB: Int, cpuSeconds: Int) {
        #if canImport(Glibc)
        let bytes = rlim_t(Swift.min(Swift.max(memoryMiB, memoryRange.lowerBound), memoryRange.upperBound)) << 20
        var memory = rlimit(rlim_cur: bytes, rlim_max: bytes)
        setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &memory)
        let seconds = rlim_t(Swift.min(Swift.max(cpuSeconds, 1), secondsRange.upperBound))
        var cpu = rlimit(rlim_cur: seconds, rlim_max: seconds + 1)
        setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &cpu)
        #endif
    }
}

extension PredictProbe {
    /// Runs the probe on `path` in a child process and turns its outcome into findings: the predict's, and
    /// when the parent did not load the model itself (a legacy build run it cannot bound beforehand), the
    /// load's as well (KC-LOAD-001, or the load error's KC-REF rule).
    static func findings(for path: String, memoryMiB: Int, cpuSeconds: Int, parentLoaded: Bool, at location: Location) -> [Finding] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["predict-probe", path, "--memory-mib", String(memoryMiB), "--cpu-seconds", String(cpuSeconds)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        do { try process.run() } catch {
            return [Finding(.zeroInputPredictLimit, "the zero-input predict could not start: \(error)", at: location)]
        }
        // CPU time bounds a busy child; the wall clock bounds one that waits.
        if ended.wait(timeout: .now() + .seconds(2 * cpuSeconds + 10)) == .timedOut {
            process.terminate()
            ended.wait()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let limits = "limits: \(memoryMiB) MiB of address space, \(cpuSeconds) s of CPU"
        let what = parentLoaded ? "zero-input predict" : "load with its zero-input build run, and the zero-input predict,"
        guard process.terminationReason == .exit, process.terminationStatus == 0,
              let line = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let how = process.terminationReason == .uncaughtSignal ? "was ended by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
            return [Finding(.zeroInputPredictLimit, "the \(what) \(how), which means it went over its \(limits)", at: location)]
        }
        let ruleID = line["ruleId"] as? String ?? ""
        let message = line["message"] as? String ?? ""
        if line["phase"] as? String == "load" {
            guard !parentLoaded else {
                return [Finding(.zeroInputPredictLimit, "the zero-input predict could not load the model within its \(limits): \(message)", at: location)]
            }
            let rule = RuleCatalogue.rule(id: ruleID) ?? .zeroInputPredictLimit
            return [Finding(rule, message, at: location)]
        }
        var findings: [Finding] = []
        if !parentLoaded {
            let objects = line["objects"] as? Int ?? 0
            let variables = line["variables"] as? Int ?? 0
            findings.append(Finding(.modelLoaded, "loaded with the reference core in safe mode, with its zero-input build run, in the limited child process: \(objects) objects, \(variables) variables assigned", at: location))
        }
        if let shapes = line["outputs"] as? [[Int]] {
            findings.append(Finding(.zeroInputPredicted, "predict on zeros ran (\(limits)): output shapes \(shapes.map { "(\($0.map(String.init).joined(separator: ", ")))" }.joined(separator: ", "))", at: location))
        } else if ruleID == ReferenceError.Code.notImplemented.ruleID {
            findings.append(Finding(.zeroInputPredictNotRun, "predict not run: \(message)", at: location))
        } else {
            findings.append(Finding(RuleCatalogue.rule(id: ruleID) ?? .zeroInputPredictLimit, "the zero-input predict failed: \(message)", at: location))
        }
        return findings
    }
}
