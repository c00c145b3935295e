package ledger.api.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stable codes ({@link ledger.api.app.Codes}) an operation refuses with, besides those every
 * operation can answer (validation_failed, unauthorized, forbidden, rate_limited,
 * internal_error, database_unavailable; idempotency_conflict where it takes an Idempotency-Key). {@link ApiDocs}
 * documents one problem response per HTTP status the codes map to ({@link Problems#statusOf}), so
 * the OpenAPI document lists exactly the statuses the operation can answer (docs/api-contract.md).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Refuses {
    String[] value();
}
