package ledger.reconciliation.statement;

/**
 * The account a statement is about: an IBAN where the file gives one, otherwise the bank's own
 * account number ({@code OTHER}; MT940 field 25, camt {@code Acct/Id/Othr/Id}).
 */
public record AccountIdentification(Scheme scheme, String value) {
    public enum Scheme {
        IBAN,
        OTHER
    }

    public AccountIdentification {
        if (scheme == null || value == null || value.isBlank()) {
            throw new IllegalArgumentException("an account identification has a scheme and a value");
        }
    }

    @Override
    public String toString() {
        return scheme + ":" + value;
    }
}
