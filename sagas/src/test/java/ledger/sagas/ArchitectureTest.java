package ledger.sagas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Sagas are Axon and the ledger's domain only: the service wires them (STYLE.md, "The domain imports no Spring"). */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ledger.sagas");

    @Test
    void importsNoSpring() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..").check(classes);
    }

    @Test
    void movesMoneyOnlyThroughLedgerCommands() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("ledger.domain.book..", "ledger.domain.transfer..",
                "ledger.projections..").check(classes);
    }
}
