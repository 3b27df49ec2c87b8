/// One of the user's own objects, registered with `--allow` or an allow file: `package>Name`,
/// `module>Name`, `package>*`, or a bare `Name`.
///
/// A registration matches what Keras itself would look up among the user's custom objects: the
/// `registered_name` of a class (`my_pkg>Block`, or the class name for unregistered classes), the config
/// name of a function (`my_pkg>scale`), or a `module` and name pair. `package>*` matches every object
/// registered under the package or defined in the module or its submodules.
public struct AllowRegistration: Sendable, Hashable, CustomStringConvertible {
    /// The part before `>`: a registration package or a Python module; nil for a bare name.
    public let package: String?
    /// The part after `>`, or the bare name; `*` for everything under `package`.
    public let name: String

    /// Parses `text`; nil when it is empty, contains whitespace, or has an empty side around `>`.
    public init?(_ text: String) {
        guard !text.isEmpty, !text.contains(where: \.isWhitespace) else { return nil }
        if let separator = text.firstIndex(of: ">") {
            let package = String(text[..<separator])
            let name = String(text[text.index(after: separator)...])
            guard !package.isEmpty, !name.isEmpty, !name.contains(">") else { return nil }
            self.package = package
            self.name = name
        } else {
            guard text != "*" else { return nil }
            self.package = nil
            self.name = text
        }
    }

    public var description: String { package.map { "\($0)>\(name)" } ?? name }

    /// Whether this registration provides the class Keras would look up for this envelope.
    /// `registeredName` is the envelope's `registered_name`, or its class name when the key is absent.
    public func matchesClass(module: String?, className: String, registeredName: String?) -> Bool {
        matches(module: module, name: className, key: registeredName)
    }

    /// Whether this registration provides the function named `name` (a function envelope's `config`).
    public func matchesFunction(module: String?, name: String) -> Bool {
        matches(module: module, name: name, key: name)
    }

    private func matches(module: String?, name: String, key: String?) -> Bool {
        guard let package else { return key == self.name }
        if self.name == "*" {
            if let key, key.hasPrefix(package + ">") { return true }
            guard let module else { return false }
            return module == package || module.hasPrefix(package + ".")
        }
        if key == description { return true }
        return module == package && name == self.name
    }
}
