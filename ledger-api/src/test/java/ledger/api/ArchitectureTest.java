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
    void onlyTheCommandPathWritesTheBook() {
        noClasses().that().resideOutsideOfPackages("ledger.api.config..", "ledger.api.command..")
                .and().haveSimpleNameNotEndingWith("Config")
                .should().dependOnClassesThat().haveSimpleName("BookStore")
                .orShould().dependOnClassesThat().haveSimpleName("AuditLogAppender")
                .because("the book and the audit log are written in the commands' own transactions only")
                .check(classes);
    }

    @Test
    void bothApisShareOneApplicationLayerAndNeitherUsesTheOther() {
        noClasses().that().resideInAPackage("ledger.api.grpc..")
                .should().dependOnClassesThat().resideInAnyPackage("ledger.api.web..", "org.springframework.http..")
                .because("gRPC renders the application layer's outcomes, not REST's answers")
                .check(classes);
        noClasses().that().resideInAPackage("ledger.api.web..")
                .should().dependOnClassesThat().resideInAPackage("ledger.api.grpc..")
                .check(classes);
        noClasses().that().resideInAPackage("ledger.api.app..")
                .should().dependOnClassesThat().resideInAnyPackage("ledger.api.web..", "ledger.api.grpc..",
                        "org.springframework.http..", "jakarta.servlet..", "io.grpc..")
                .because("the application layer is below both transports and knows neither")
                .check(classes);
    }

    @Test
    void idempotencyIsAppliedInOnePlace() {
        noClasses().that().resideOutsideOfPackages("ledger.api.app..", "ledger.api.idempotency..")
                .should().dependOnClassesThat().haveSimpleName("IdempotencyStore")
                .because("the application layer's Commands is the one user of stored answers")
                .check(classes);
    }
}
