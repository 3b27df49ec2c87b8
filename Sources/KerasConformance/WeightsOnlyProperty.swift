import Foundation
import KerasReference

/// Property 4, weights only: `saveWeights`, then `loadWeights` into a fresh model of the same architecture,
/// gives equal predictions; loading into a different architecture fails with Keras's aggregated error
/// ("A total of N objects could not be loaded"), N being exactly the objects whose variables differ in
/// count or shape.
public struct WeightsOnlyProperty: Sendable {
    /// The property's name in reports.
    public static let name = "weights-only"
    /// A scratch folder for the `.weights.h5` files (created when missing).
    public var directory: String

    /// A check writing into `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// What one check saw.
    public struct Outcome: Sendable, Equatable {
        /// Objects of the other architecture that could not be loaded (0 when it is weight-compatible).
        public var mismatchedObjects = 0
    }

    /// Saves `model`'s weights, loads them into a fresh build of `generated` (equal outputs on `inputs`
    /// required, bit for bit), then into a fresh build of `other` (the aggregated error required, unless
    /// every object of `other` matches a stored one in variable count and shapes).
    public func check(_ model: KerasModel, config generated: GeneratedModel, other: GeneratedModel, inputs: [Tensor], expected: [Tensor], caseName: String) throws(PropertyViolation) -> Outcome {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw PropertyViolation(Self.name, "cannot create \(directory): \(error)")
        }
        let path = directory + "/" + caseName + ".weights.h5"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outputs: [Tensor]
        do throws(ReferenceError) {
            try model.saveWeights(to: path)
            let fresh = try KerasModel.build(config: generated.config)
            try fresh.loadWeights(from: path)
            outputs = try fresh.predict(inputs)
        } catch {
            throw PropertyViolation(Self.name, "same architecture: \(error.code.ruleID) \(error.code.name): \(error.reason) at \(error.location)")
        }
        if let difference = OutputComparison.bitwise.difference(outputs, expected) {
            throw PropertyViolation(Self.name, "same architecture: \(difference)")
        }
        let target: KerasModel
        do throws(ReferenceError) { target = try KerasModel.build(config: other.config) } catch {
            throw PropertyViolation(Self.name, "the other architecture does not build: \(error.code.ruleID) \(error.reason)")
        }
        let stored = Dictionary(Self.shapes(model), uniquingKeysWith: { first, _ in first })
        let mismatched = Self.shapes(target).filter { path, shapes in (stored[path] ?? []) != shapes }.map(\.path)
        let refusal: ReferenceError?
        do throws(ReferenceError) { try target.loadWeights(from: path); refusal = nil } catch { refusal = error }
        switch refusal {
        case nil where !mismatched.isEmpty:
            throw PropertyViolation(Self.name, "other architecture: loaded although \(mismatched.count) objects differ (first \(mismatched[0]))")
        case let error? where error.code != ReferenceError.Code.loadFailed || !error.reason.hasPrefix("A total of \(mismatched.count) objects could not be loaded."):
            throw PropertyViolation(Self.name, "other architecture, \(mismatched.count) objects differ (\(mismatched.prefix(3).joined(separator: ", "))): got \(error.code.ruleID) \(error.code.name): \(error.reason.prefix(200))")
        default:
            break
        }
        return Outcome(mismatchedObjects: mismatched.count)
    }

    /// Each saveable object's path with its variables' shapes, in traversal order.
    static func shapes(_ model: KerasModel) -> [(path: String, shapes: [[Int]])] {
        model.saveableObjects.map { ($0.path, $0.layer.variables.map(\.shape)) }
    }
}
