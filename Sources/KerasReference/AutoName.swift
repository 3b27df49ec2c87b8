/// Keras's `naming.auto_name`: the name an object created without one gets, unique per snake-case prefix
/// within a session (`softmax`, `softmax_1`, ...). A load counts from a fresh session, as
/// `keras.saving.load_model` in a new process (or after `keras.backend.clear_session()`) does, so the names
/// of sub-layers Keras creates unnamed (MultiHeadAttention's `_softmax` and `_dropout_layer`) are the ones
/// Keras gives them, in the order the load builds them.
final class AutoName: @unchecked Sendable {
    private var counts: [String: Int] = [:]

    /// The session a load runs in; nil outside one (then every prefix is its own first use).
    @TaskLocal static var session: AutoName?

    /// `uniquify(prefix)`: the prefix the first time, then `prefix_1`, `prefix_2`, ...
    static func make(_ prefix: String) -> String {
        guard let session else { return prefix }
        let count = session.counts[prefix, default: 0]
        session.counts[prefix] = count + 1
        return count == 0 ? prefix : "\(prefix)_\(count)"
    }
}
