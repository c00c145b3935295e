package ledger.fx;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The FX library is plain Java: the service wires it, so it imports no Spring and no Axon. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ledger.fx");

    @Test
    void importsNoSpringAndNoAxon() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..")
                .check(classes);
    }

    @Test
    void conversionDoesNotKnowWhereRatesComeFrom() {
        noClasses().that().resideInAPackage("ledger.fx.convert..")
                .should().dependOnClassesThat().resideInAnyPackage("ledger.fx.provider..", "ledger.fx.route..", "ledger.fx.quote..")
                .check(classes);
    }

    @Test
    void providersDoNotKnowTheRouter() {
        noClasses().that().resideInAPackage("ledger.fx.provider..")
                .should().dependOnClassesThat().resideInAnyPackage("ledger.fx.route..", "ledger.fx.quote..")
                .check(classes);
    }
}
