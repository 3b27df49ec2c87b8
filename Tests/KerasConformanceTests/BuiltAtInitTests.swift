@testable import KerasConformance
import KerasReference
import Testing

/// `BuiltAtInit` (which layers need no dry run at load) is the list Keras itself gave the templates.
struct BuiltAtInitTests {
    @Test func theListIsKerasOwn() {
        let catalogue = TemplateCatalogue.shared
        let fromKeras = Set(catalogue.names("built_at_init").filter { catalogue.isBuiltAtInit($0) })
        #expect(fromKeras == BuiltAtInit.classNames)
        #expect(fromKeras.count >= 20)
    }
}
