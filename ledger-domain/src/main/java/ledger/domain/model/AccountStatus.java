package ledger.domain.model;

public enum AccountStatus {
    OPEN, FROZEN, CLOSED
}
