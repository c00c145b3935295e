package ledger.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ledger.api");

    @Test
    void controllersNeitherQueryTheDatabaseNorTouchAggregates() {
        noClasses().that().resideInAPackage("ledger.api.web..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "java.sql..",
                        "ledger.domain.account..", "org.axonframework.modelling..")
                .because("the gateway maps requests to commands and queries; it decides nothing itself")
                .check(classes);
    }

    @Test
    void onlyConfigurationWiresTheProjections() {
        noClasses().that().resideOutsideOfPackage("ledger.api.config..")
                .should().dependOnClassesThat().haveSimpleName("BalanceProjection")
                .orShould().dependOnClassesThat().haveSimpleName("TransferProjection")
                .because("read models are written by event handlers only").check(classes);
    }
}
