package ledger.domain.seal;

/** Metadata keys under which each event carries its part of the audit envelope. */
public final class AuditKeys {
    public static final String TENANT = "tenant";
    public static final String EVENT_TYPE = "eventType";
    public static final String EVENT_ID = "eventId";
    public static final String OCCURRED_AT = "occurredAt";
    public static final String ACTOR = "actor";
    public static final String CORRELATION_ID = "correlationId";
    public static final String PREV_HASH = "prevHash";
    public static final String HASH = "hash";

    private AuditKeys() {
    }
}
