package ledger.audit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** audit-chain is what auditors run: JDK, Jackson, BouncyCastle and (CLI only) picocli; no Spring, no Axon. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ledger.audit");

    @Test
    void dependsOnNoSpringAndNoAxon() {
        noClasses().that().resideInAPackage("ledger.audit..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..")
                .check(MAIN);
    }

    @Test
    void dependsOnlyOnTheJdkJacksonBouncyCastleAndPicocli() {
        classes().that().resideInAPackage("ledger.audit..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("ledger.audit..", "java..",
                        "com.fasterxml.jackson..", "org.bouncycastle..", "picocli..")
                .check(MAIN);
    }

    @Test
    void onlyTheCliUsesPicocli() {
        noClasses().that().resideOutsideOfPackage("ledger.audit.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(MAIN);
    }

    @Test
    void theCoreDoesNotDependOnTheVerifierOrTheCli() {
        noClasses().that().resideInAnyPackage("ledger.audit", "ledger.audit.merkle..", "ledger.audit.checkpoint..",
                        "ledger.audit.export..")
                .should().dependOnClassesThat().resideInAnyPackage("ledger.audit.verify..", "ledger.audit.cli..",
                        "ledger.audit.proof..")
                .check(MAIN);
    }
}
