package ledger.reconciliation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The reconciliation core is a plain library: no framework, no storage, no clock of its own. */
@AnalyzeClasses(packages = "ledger.reconciliation", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noFrameworks = noClasses()
            .that().resideInAPackage("ledger.reconciliation..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..",
                    "org.jooq..", "java.sql..", "javax.sql..")
            .because("REST upload, views and events wire this core in later; it stays pure (docs/reconciliation.md)");

    @ArchTest
    static final ArchRule parsersKnowNothingOfMatching = noClasses()
            .that().resideInAnyPackage("ledger.reconciliation.statement..", "ledger.reconciliation.processor..")
            .should().dependOnClassesThat().resideInAPackage("ledger.reconciliation.matching..")
            .because("parsers produce records; the matcher consumes them through MatchItems");

    @ArchTest
    static final ArchRule matcherReadsNoWallClock = noClasses()
            .that().resideInAPackage("ledger.reconciliation.matching..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(java.time.LocalDate.class, "now")
            .because("time moves only through Matcher.advanceTo (settlement windows are driven by the caller's clock)");
}
