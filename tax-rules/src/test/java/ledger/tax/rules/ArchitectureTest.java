package ledger.tax.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Safe by construction (docs/tax-rules.md, "Safety"): the parser, checker and evaluator reach no file, network,
 * process, thread or reflection API, and no floating point appears anywhere in the library; only the two loaders
 * read files.
 */
class ArchitectureTest {

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ledger.tax.rules");

    @Test
    void onlyTheLoadersTouchFilesAndNothingReachesNetworkProcessesThreadsOrReflection() {
        noClasses().that().resideInAPackage("ledger.tax.rules")
                .and().doNotHaveSimpleName("RulePacks").and().doNotHaveSimpleName("RuleLibrary")
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..",
                        "java.lang.reflect..", "java.lang.invoke..")
                .orShould().dependOnClassesThat().belongToAnyOf(ClassLoader.class, ProcessBuilder.class,
                        Runtime.class, Thread.class)
                .check(LIBRARY);
        noClasses().that().resideInAPackage("ledger.tax.rules")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.lang.reflect..")
                .orShould().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class, Runtime.class, Thread.class)
                .check(LIBRARY);
    }

    @Test
    void noFloatingPointAnywhere() {
        noClasses().that().resideInAPackage("ledger.tax.rules")
                .should().dependOnClassesThat().belongToAnyOf(Double.class, Float.class)
                .check(LIBRARY);
        noFields().that().areDeclaredInClassesThat().resideInAPackage("ledger.tax.rules")
                .should().haveRawType(double.class).orShould().haveRawType(float.class)
                .check(LIBRARY);
        noMethods().that().areDeclaredInClassesThat().resideInAPackage("ledger.tax.rules")
                .should().haveRawReturnType(double.class).orShould().haveRawReturnType(float.class)
                .check(LIBRARY);
    }
}
