package ledger.domain.model;

/**
 * Aggregate identifiers are unique across tenants and types: {@code tenant/account/id} and
 * {@code tenant/transfer/id}. Client ids cannot contain '/', so the form is unambiguous, and the
 * same string is the envelope's {@code aggregateId} in the audit chain.
 */
public final class AggregateIds {
    public static final String ACCOUNT_TYPE = "Account";
    public static final String TRANSFER_TYPE = "Transfer";

    private AggregateIds() {
    }

    public static String account(TenantId tenant, AccountId account) {
        return tenant.value() + "/account/" + account.value();
    }

    public static String transfer(TenantId tenant, TransferId transfer) {
        return tenant.value() + "/transfer/" + transfer.value();
    }
}
