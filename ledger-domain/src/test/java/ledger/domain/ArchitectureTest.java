package ledger.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain decides; it knows nothing of Spring, SQL or the modules that use it. */
@AnalyzeClasses(packages = "ledger.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainDependsOnNoSpring = noClasses()
            .that().resideInAPackage("ledger.domain..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("the domain imports no Spring (STYLE.md)");

    @ArchTest
    static final ArchRule domainDependsOnNoJooqOrJdbc = noClasses()
            .that().resideInAPackage("ledger.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "java.sql..", "javax.sql..",
                    "jakarta.persistence..", "javax.persistence..")
            .because("storage belongs to the event store and the read models, not to the aggregates");

    @ArchTest
    static final ArchRule domainDependsOnNoOuterModule = noClasses()
            .that().resideInAPackage("ledger.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("ledger.api..", "ledger.projections..",
                    "ledger.sagas..")
            .because("module dependencies point one way: audit-chain <- ledger-domain <- the rest");
}
