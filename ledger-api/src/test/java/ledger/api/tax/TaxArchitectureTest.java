package ledger.api.tax;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The tax pre-fill's read model is written and read in one place (docs/tax-prefill.md, "Read model"). */
class TaxArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ledger.api.tax");

    @Test
    void onlyTheStoreTalksToTheDatabase() {
        noClasses().that().resideInAPackage("ledger.api.tax..")
                .and().doNotHaveSimpleName("TaxPrefillStore").and().doNotHaveSimpleName("TaxConfig")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "java.sql..", "javax.sql..")
                .because("the read model's tables and their idempotent writes live in TaxPrefillStore")
                .check(classes);
    }

    @Test
    void taxFiguresAreNeverFloatingPoint() {
        classes().that().resideInAPackage("ledger.api.tax..")
                .should(useNoFloatingPoint())
                .because("money is BigDecimal or minor units (STYLE.md)")
                .check(classes);
    }

    /** No field, parameter or result of type double/float (boxed or not), and no call that yields one. */
    private static ArchCondition<JavaClass> useNoFloatingPoint() {
        return new ArchCondition<>("use no floating point") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                type.getFields().stream().filter(f -> floating(f.getRawType()))
                        .forEach(f -> events.add(SimpleConditionEvent.violated(f, f.getFullName() + " is floating point")));
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (floating(unit.getRawReturnType())
                            || unit.getRawParameterTypes().stream().anyMatch(TaxArchitectureTest::floating)) {
                        events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " takes or gives floating point"));
                    }
                }
                type.getMethodCallsFromSelf().stream()
                        .filter(call -> floating(call.getTarget().getRawReturnType()))
                        .forEach(call -> events.add(SimpleConditionEvent.violated(call, call.getDescription())));
            }
        };
    }

    private static boolean floating(JavaClass type) {
        return Set.of("double", "float", "java.lang.Double", "java.lang.Float").contains(type.getName());
    }
}
