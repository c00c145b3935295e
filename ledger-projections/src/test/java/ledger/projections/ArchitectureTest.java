package ledger.projections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ledger.projections");

    @Test
    void projectionsDependOnNoSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(classes);
    }

    @Test
    void readModelsAreQueriedWithJooqNotRawJdbc() {
        noClasses().that().doNotHaveSimpleName("Jdbc")
                .should().dependOnClassesThat().resideInAPackage("java.sql..")
                .because("every read-model query goes through jOOQ; only Jdbc runs the command path's "
                        + "fixed-text array writes").check(classes);
    }

    @Test
    void projectionsNeverSendCommands() {
        noClasses().should().dependOnClassesThat().resideInAPackage("ledger.domain.command..")
                .because("read models follow events; they decide nothing").check(classes);
    }
}
