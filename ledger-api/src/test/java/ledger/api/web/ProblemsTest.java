package ledger.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import ledger.api.app.Codes;
import ledger.domain.model.RejectionCode;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** The HTTP status of each stable code (README, "Errors"): no code a client can receive falls back to 500. */
class ProblemsTest {

    /**
     * Every code of {@link Codes}, read from the class so that a code added later is covered too, has
     * a status of its own: only internal_error is a 500, and a refusal is never a 2xx or 3xx.
     */
    @Test
    void everyCodeOfTheApiHasAStatusOtherThanInternalServerError() throws IllegalAccessException {
        int count = 0;
        for (Field field : Codes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String code = (String) field.get(null);
                HttpStatus status = Problems.statusOf(code);
                if (code.equals(Codes.INTERNAL_ERROR)) {
                    assertThat(status).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
                } else {
                    assertThat(status).as(code).isNotEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
                }
                assertThat(status.value()).as(code).isBetween(400, 599);
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(26);
    }

    @Test
    void aDomainRejectionHasTheSameStatusByItsCodeAsByItsEnum() {
        for (RejectionCode code : RejectionCode.values()) {
            assertThat(Problems.statusOf(code.code())).as(code.code()).isEqualTo(Problems.statusOf(code));
        }
    }
}
