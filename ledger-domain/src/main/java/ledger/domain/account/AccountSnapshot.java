package ledger.domain.account;

import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Side;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;

/** A read of an account aggregate's decision state (for tests and invariant checks). */
public record AccountSnapshot(String tenant, String accountId, CurrencyCode currency, AccountKind kind,
                              OverdraftLimit overdraftLimit, AccountStatus status, long debitsPosted,
                              long creditsPosted, long debitsPending, long creditsPending) {

    public long balance() {
        return kind.normalSide() == Side.DEBIT ? debitsPosted - creditsPosted : creditsPosted - debitsPosted;
    }

    public long available() {
        return balance() - (kind.normalSide() == Side.DEBIT ? creditsPending : debitsPending);
    }
}
