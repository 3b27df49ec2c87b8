import KerasFormat
import Synchronization

/// Builds a custom layer from its config envelope: the Swift counterpart of a custom class's `from_config`.
public typealias CustomLayerFactory = @Sendable (ObjectEnvelope) throws(ReferenceError) -> any Layer

/// Custom layer classes by the name a config looks them up under: the counterpart of Keras's
/// `custom_objects` dictionaries (OR:1-230, SER:433-905).
///
/// A config envelope is looked up under its `registered_name` (`"my_pkg>Scale"` for a class registered
/// with `register_keras_serializable(package="my_pkg")`, the bare class name for an unregistered one); only
/// when the key `registered_name` is absent (legacy entries) under its `class_name`. A `null`
/// `registered_name` (every Keras built-in) never matches a custom object. So a file that names
/// `"my_pkg>Scale"` loads with `["my_pkg>Scale": factory]` but not with `["Scale": factory]`:
///
///     registered_name = config.get("registered_name", class_name)          # SER:719
///     custom_obj = object_registration.get_registered_object(
///         registered_name, custom_objects=custom_objects)                   # SER:823-829
///
/// Three places hold custom objects, consulted as `get_registered_object` does (OR:214-230): the current
/// scope, then the global registry, then the objects passed in ``LoadOptions/customObjects``:
///
///     if name in custom_objects_scope_dict: return custom_objects_scope_dict[name]
///     elif name in GLOBAL_CUSTOM_OBJECTS: return GLOBAL_CUSTOM_OBJECTS[name]
///     elif custom_objects and name in custom_objects: return custom_objects[name]
///
/// While an object is built, Keras makes the merge `{**custom_objects, **scope, **global}` (SER:538-542)
/// the scope of everything nested in it (`with CustomObjectScope(custom_objects)`, SER:769-773). So for a
/// layer inside a model (every layer of a file) the global registry wins over a scope, which wins over
/// the passed objects; for the top-level object the scope wins over the global registry. kconform
/// reproduces both (observed with Keras 3.15.1). A scope replaces the enclosing scope rather than
/// extending it, as `custom_object_scope.__enter__` does.
public struct CustomObjects: Sendable {
    /// The factories by lookup name.
    public private(set) var factories: [String: CustomLayerFactory]

    /// No custom objects.
    public init() { factories = [:] }

    /// The given factories by lookup name (`"my_pkg>Scale"`).
    public init(_ factories: [String: CustomLayerFactory]) { self.factories = factories }

    /// Adds (or replaces) the factory looked up under `name`.
    public mutating func register(_ name: String, _ factory: @escaping CustomLayerFactory) {
        factories[name] = factory
    }

    /// Adds a ``CustomLayer`` subclass looked up under `name`; it is built with `init(envelope:)`.
    public mutating func register(_ name: String, _ type: CustomLayer.Type) {
        @Sendable func make(_ envelope: ObjectEnvelope) throws(ReferenceError) -> any Layer { try type.init(envelope: envelope) }
        factories[name] = make
    }

    /// The factory looked up under `name` in these objects only.
    public subscript(name: String) -> CustomLayerFactory? { factories[name] }

    /// The names, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Runs `body` with these objects as the scope, like `with keras.saving.custom_object_scope(objects):`;
    /// the enclosing scope is not visible inside (OR:46-57). The scope is task-local: it applies to
    /// `body` and to the tasks `body` creates.
    public func withScope<R, Failure: Error>(_ body: () throws(Failure) -> R) throws(Failure) -> R {
        let result: Result<R, Failure> = Self.$scope.withValue(self) {
            do throws(Failure) { return .success(try body()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Registers `factory` globally under `"package>name"`, like `@keras.saving.register_keras_serializable(package, name)`
    /// (OR:91-150), and returns that key. A later registration under the same key replaces it.
    @discardableResult
    public static func registerKerasSerializable(package: String = "Custom", name: String, _ factory: @escaping CustomLayerFactory) -> String {
        let key = "\(package)>\(name)"
        registry.withLock { $0.factories[key] = factory }
        return key
    }

    /// Removes a global registration (Keras: `del get_custom_objects()[key]`).
    public static func unregisterKerasSerializable(_ registeredName: String) {
        _ = registry.withLock { $0.factories.removeValue(forKey: registeredName) }
    }

    /// The global registry (`keras.saving.get_custom_objects()`), as a copy.
    public static var global: CustomObjects { registry.withLock { $0 } }

    /// The current scope (`custom_objects_scope_dict`); empty outside any scope.
    @TaskLocal static var scope = CustomObjects()

    private static let registry = Mutex(CustomObjects())

    /// `get_registered_object(name, custom_objects=self)` (OR:214-230): scope, then global, then `self`.
    func registeredObject(_ name: String) -> CustomLayerFactory? {
        Self.scope[name] ?? Self.global[name] ?? self[name]
    }

    /// `{**self, **scope, **global}` (SER:538-542): the scope Keras sets while an object is built.
    func mergedWithScopeAndGlobal() -> CustomObjects {
        var merged = self
        merged.factories.merge(Self.scope.factories) { _, scoped in scoped }
        merged.factories.merge(Self.global.factories) { _, global in global }
        return merged
    }
}
