/// The parser's stack of finished values and keys, handed out by moving them.
///
/// A container's children wait here until it closes and are then moved into their array or
/// object without the retain/release pair per element a Swift `Array` copy would cost.
final class MoveStack<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// The number of live elements.
    private(set) var count = 0

    private static var initialCapacity: Int { 64 }

    init() {
        capacity = MoveStack.initialCapacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Moves the elements from `start` to the top into an array, in order, and pops them.
    func popArray(from start: Int) -> [Element] {
        let length = count - start
        let elements = [Element](unsafeUninitializedCapacity: length) { buffer, initialized in
            if let destination = buffer.baseAddress, length > 0 {
                destination.moveInitialize(from: base + start, count: length)
            }
            initialized = length
        }
        count = start
        return elements
    }

    /// A copy of the live element at `index`.
    func peek(at index: Int) -> Element {
        base[index]
    }

    /// Moves the element at `index` out; the caller must then `forgetMoved(from:)` every moved slot.
    func take(at index: Int) -> Element {
        (base + index).move()
    }

    /// Pops the elements from `start`, all of which `take(at:)` has already moved out.
    func forgetMoved(from start: Int) {
        count = start
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
