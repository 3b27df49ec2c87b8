/// One object of a model config that holds variables, as the config declares it: the path Keras
/// saves it at, where in the config it is, and the shapes its variables will have when built.
public struct DeclaredObject: Sendable, Hashable {
    /// The Keras 3 saveable path (`layers/dense`, `layers/lstm/cell`, `` for the model itself).
    public let path: String
    /// The JSON pointer of the layer's envelope in the config.
    public let pointer: String
    /// The layer's class name.
    public let className: String
    /// The variable shapes in save order; nil when kconform cannot derive them from the config.
    public let shapes: [[Int]]?

    /// An object at `path`.
    public init(path: String, pointer: String, className: String, shapes: [[Int]]?) {
        self.path = path
        self.pointer = pointer
        self.className = className
        self.shapes = shapes
    }
}
