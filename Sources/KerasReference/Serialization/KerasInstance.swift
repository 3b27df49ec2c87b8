import KerasFormat
import KerasJSON

/// A class instance deserialized from an object envelope (SER:738-798): the class reference the safety
/// policy accepted and the inner config. A class instance is a reference, so that every envelope naming one
/// `shared_object_id` yields this same instance, as Keras's `ObjectSharingScope` does (SER:114-147).
///
/// The inner config keeps its plain values as they are (a class's `from_config` decides what they mean);
/// envelopes nested in it are instances too, so sharing reaches into nested configs as it does in Keras.
public final class KerasInstance: Sendable {
    /// The envelope's `module`.
    public let module: String?
    /// The envelope's `class_name`.
    public let className: String
    /// The envelope's `registered_name` (nil when null).
    public let registeredName: String?
    /// Whether the envelope had a `registered_name` key.
    public let hasRegisteredName: Bool
    /// The inner config, as a dict value.
    public let config: KerasValue
    /// `build_config` when the envelope had a truthy one.
    public let buildConfig: JSONValue?
    /// `compile_config` when the envelope had a truthy one.
    public let compileConfig: JSONValue?
    /// What the safety policy resolved the class to; nil when a custom object of the load options did.
    public let verdict: SafetyVerdict?

    init(module: String?, className: String, registeredName: String?, hasRegisteredName: Bool, config: KerasValue,
         buildConfig: JSONValue?, compileConfig: JSONValue?, verdict: SafetyVerdict?) {
        self.module = module
        self.className = className
        self.registeredName = registeredName
        self.hasRegisteredName = hasRegisteredName
        self.config = config
        self.buildConfig = buildConfig
        self.compileConfig = compileConfig
        self.verdict = verdict
    }
}
