import KerasFormat
import Testing

@Suite struct RuleCatalogueTests {
    @Test func idsAreUniqueAndWellFormed() {
        let ids = RuleCatalogue.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let parts = id.split(separator: "-")
            #expect(parts.count == 3 && parts[0] == "KC" && parts[2].count == 3 && Int(parts[2]) != nil, "\(id)")
        }
    }

    @Test func everyRuleHasARationaleAndEveryReaderHasRules() {
        for rule in RuleCatalogue.all { #expect(rule.rationale.count > 20, "\(rule.id)") }
        for source in Rule.Source.allCases {
            #expect(RuleCatalogue.all.contains { $0.source == source }, "\(source)")
        }
    }

    @Test func findingsOnlyUseCataloguedRules() {
        for rule in Rule.formatRules { #expect(RuleCatalogue.rule(id: rule.id) == rule) }
    }
}
