import Foundation
import KerasJSON
import KerasReference
import Synchronization
import Testing

/// Custom objects (OR:1-230, SER:433-905): a layer saved with `registered_name: "my_pkg>Scale"` loads only
/// when a factory is registered under exactly that name, passed in the options, in a scope, or globally,
/// with Keras's precedence. Serialized: the global registry is shared.
@Suite(.serialized) struct CustomObjectsTests {
    static let name = "my_pkg>Scale"

    /// A model `in(2) -> Scale` saved as `.keras` with `scale = [2, 3]`; returns its path.
    static func savedModel(in directory: URL) throws -> String {
        let config = try ModelFixtures.sequential([ModelFixtures.scale("sc")], width: 2)
        let model = try KerasModel.build(config: config, options: LoadOptions(customObjects: CustomObjects([name: ScaleLayer.factory()])))
        try #require(model.saveableObjects.count == 2)
        try model.saveableObjects[1].layer.variables[0].assign([2, 3])
        let path = directory.appendingPathComponent("scale.keras").path
        try model.save(to: path)
        return path
    }

    static func predict(_ model: KerasModel) throws -> [Float] {
        try model.predict([Tensor(shape: [1, 2], scalars: [1, 1])])[0].scalars
    }

    static let kerasError = "Could not locate class 'Scale'. Make sure custom classes and functions are decorated with `@keras.saving.register_keras_serializable()`. If they are already decorated, make sure they are all imported so that the decorator is run before trying to load them. Full object config: {'module': None, 'class_name': 'Scale', 'config': {'name': 'sc', 'trainable': True, 'dtype': 'float32'}, 'registered_name': 'my_pkg>Scale'}"

    @Test func unregisteredClassFailsWithKerasError() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.savedModel(in: directory)
        do {
            _ = try loadModel(from: path)
            Issue.record("an unregistered custom class loaded")
        } catch {
            #expect(error.code == ReferenceError.Code.unknownClass)
            #expect(error.reason == Self.kerasError)
            #expect(error.location == "/config/layers/1")
        }
        // Keras looks the class up by its registered name, never by the bare class name.
        let byClassName = LoadOptions(customObjects: CustomObjects(["Scale": ScaleLayer.factory()]))
        #expect(throws: ReferenceError(ReferenceError.Code.unknownClass, "")) { try loadModel(from: path, options: byClassName) }
    }

    @Test func passedCustomObjectLoadsAndPredicts() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.savedModel(in: directory)
        var objects = CustomObjects()
        objects.register(Self.name, ScaleLayer.self)
        let model = try loadModel(from: path, options: LoadOptions(customObjects: objects))
        #expect(try Self.predict(model) == [2, 3])
    }

    @Test func scopedCustomObjectLoadsAndEndsWithTheScope() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.savedModel(in: directory)
        let model = try CustomObjects([Self.name: ScaleLayer.factory()]).withScope { () throws(ReferenceError) in try loadModel(from: path) }
        #expect(try Self.predict(model) == [2, 3])
        #expect(throws: ReferenceError(ReferenceError.Code.unknownClass, "")) { try loadModel(from: path) }
    }

    @Test func globallyRegisteredCustomObjectLoads() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.savedModel(in: directory)
        let key = CustomObjects.registerKerasSerializable(package: "my_pkg", name: "Scale", ScaleLayer.factory())
        defer { CustomObjects.unregisterKerasSerializable(key) }
        #expect(key == Self.name)
        #expect(CustomObjects.global.names == [Self.name])
        #expect(try Self.predict(try loadModel(from: path)) == [2, 3])
        // Registered under another package, it does not match.
        CustomObjects.unregisterKerasSerializable(key)
        let other = CustomObjects.registerKerasSerializable(package: "other_pkg", name: "Scale", ScaleLayer.factory())
        defer { CustomObjects.unregisterKerasSerializable(other) }
        #expect(throws: ReferenceError(ReferenceError.Code.unknownClass, "")) { try loadModel(from: path) }
    }

    /// Observed with Keras 3.15.1: for a layer inside a model, global > scope > passed; an inner scope
    /// replaces the outer one.
    @Test func precedenceIsKeras() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.savedModel(in: directory)
        let passed = LoadOptions(customObjects: CustomObjects([Self.name: ScaleLayer.factory(offset: 30)]))
        let scope = CustomObjects([Self.name: ScaleLayer.factory(offset: 20)])

        #expect(try Self.predict(try loadModel(from: path, options: passed)) == [32, 33])
        let scoped = try scope.withScope { () throws(ReferenceError) in try loadModel(from: path, options: passed) }
        #expect(try Self.predict(scoped) == [22, 23], "a scope wins over passed objects")
        #expect(throws: ReferenceError(ReferenceError.Code.unknownClass, "")) {
            try scope.withScope { () throws(ReferenceError) in try CustomObjects().withScope { () throws(ReferenceError) in try loadModel(from: path) } }
        }

        let key = CustomObjects.registerKerasSerializable(package: "my_pkg", name: "Scale", ScaleLayer.factory(offset: 10))
        defer { CustomObjects.unregisterKerasSerializable(key) }
        #expect(try Self.predict(try loadModel(from: path, options: passed)) == [12, 13], "global wins over passed objects")
        let globalAndScope = try scope.withScope { () throws(ReferenceError) in try loadModel(from: path) }
        #expect(try Self.predict(globalAndScope) == [12, 13], "inside a model, global wins over a scope")
    }

    @Test func safeModeRefusesLambdasBeforeAnyCustomLookup() throws {
        let calls = Mutex(0)
        let counting: CustomLayerFactory = { envelope throws(ReferenceError) in
            calls.withLock { $0 += 1 }
            return try ScaleLayer(envelope: envelope)
        }
        let lambda = #"{"class_name": "__lambda__", "config": {"value": ["YmFzZTY0", null, null]}}"#
        let layer = #"{"module": null, "class_name": "Scale", "config": {"name": "sc", "fn": \#(lambda)}, "registered_name": "my_pkg>Scale"}"#
        let config = try ModelFixtures.sequential([layer], width: 2)
        let options = LoadOptions(customObjects: CustomObjects([Self.name: counting]))
        #expect(throws: ReferenceError(ReferenceError.Code.unsafeLambda, "")) { try KerasModel.build(config: config, options: options) }
        #expect(calls.withLock { $0 } == 0)
        _ = try KerasModel.build(config: config, options: LoadOptions(safeMode: false, customObjects: options.customObjects))
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func builtinWithForeignRegisteredNameIsRefusedUnlessRegistered() throws {
        let evil = #"{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2}, "registered_name": "evil>Dense"}"#
        let config = try ModelFixtures.sequential([evil], width: 2)
        do {
            _ = try KerasModel.build(config: config)
            Issue.record("a foreign registered_name on a built-in loaded")
        } catch {
            #expect(error.code == ReferenceError.Code.unknownClass)
            #expect(error.reason.hasPrefix("`registered_name='evil>Dense'` was provided in the config, but 'keras.layers.Dense' resolved to a Keras built-in and does not use registered names."))
        }
        // A custom object registered under that name takes precedence (SER:814-829).
        let model = try KerasModel.build(config: config, options: LoadOptions(customObjects: CustomObjects(["evil>Dense": ScaleLayer.factory(offset: 5)])))
        #expect(model.saveableObjects[1].layer is ScaleLayer)
    }

    @Test func legacyEntryIsLookedUpByClassName() throws {
        let legacy = #"{"class_name": "my_pkg>Scale", "config": {"name": "sc", "trainable": true, "dtype": "float32"}}"#
        let config = try ModelFixtures.sequential([legacy], width: 2)
        do {
            _ = try KerasModel.build(config: config)
            Issue.record("an unknown legacy class loaded")
        } catch {
            #expect(error.code == ReferenceError.Code.unknownClass)
            #expect(error.reason.hasPrefix("Unknown layer: 'my_pkg>Scale'."))
        }
        let model = try KerasModel.build(config: config, options: LoadOptions(customObjects: CustomObjects([Self.name: ScaleLayer.factory()])))
        #expect(model.saveableObjects[1].layer is ScaleLayer)
    }
}
