package ledger.domain;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;

/** Short forms of the domain's commands for one tenant, so a test reads like a ledger session. */
public record Commands(TenantId tenant) {
    public static final CurrencyCode USD = Currencies.iso().resolve("USD");
    public static final CurrencyCode JPY = Currencies.iso().resolve("JPY");
    public static final CurrencyCode BHD = Currencies.iso().resolve("BHD");
    public static final CurrencyCode EUR = Currencies.iso().resolve("EUR");

    public static Commands forTenant(String tenant) {
        return new Commands(TenantId.of(tenant));
    }

    public static Money money(String amount, CurrencyCode currency) {
        return Money.parsePositive(amount, currency);
    }

    public static Money usd(String amount) {
        return money(amount, USD);
    }

    public OpenAccount open(String id, CurrencyCode currency, AccountKind kind, OverdraftLimit limit) {
        return new OpenAccount(tenant, AccountId.of(id), currency, kind, limit);
    }

    /** An asset account (normal side debit) without overdraft. */
    public OpenAccount openAsset(String id, CurrencyCode currency) {
        return open(id, currency, AccountKind.ASSET, OverdraftLimit.none());
    }

    /** An equity account that may go negative without limit: where test money comes from. */
    public OpenAccount openSource(String id, CurrencyCode currency) {
        return open(id, currency, AccountKind.EQUITY, OverdraftLimit.unlimitedLimit());
    }

    public FreezeAccount freeze(String id) {
        return new FreezeAccount(tenant, AccountId.of(id), "test");
    }

    public UnfreezeAccount unfreeze(String id) {
        return new UnfreezeAccount(tenant, AccountId.of(id));
    }

    public CloseAccount close(String id) {
        return new CloseAccount(tenant, AccountId.of(id));
    }

    public CreateTransfer transfer(String id, String debit, String credit, Money amount) {
        return new CreateTransfer(tenant, TransferId.of(id), AccountId.of(debit), AccountId.of(credit), amount,
                false, null, Map.of());
    }

    public CreateTransfer pending(String id, String debit, String credit, Money amount, Duration timeout) {
        return new CreateTransfer(tenant, TransferId.of(id), AccountId.of(debit), AccountId.of(credit), amount,
                true, timeout, Map.of());
    }

    /** Linked transfers: all or none. */
    public CreateTransferChain chain(CreateTransfer... transfers) {
        return new CreateTransferChain(tenant, Arrays.asList(transfers));
    }

    /** A debit leg; the amount is read in the account's currency. */
    public static EntryLeg debit(String account, String amount) {
        return new EntryLeg(AccountId.of(account), Side.DEBIT, amount);
    }

    public static EntryLeg credit(String account, String amount) {
        return new EntryLeg(AccountId.of(account), Side.CREDIT, amount);
    }

    public PostEntry entry(String id, EntryLeg... legs) {
        return entry(id, Arrays.asList(legs));
    }

    public PostEntry entry(String id, List<EntryLeg> legs) {
        return new PostEntry(tenant, TransferId.of(id), legs, Map.of());
    }

    /** Posts a pending transfer: in full when {@code amount} is null. */
    public PostPendingTransfer post(String id, String amount) {
        return new PostPendingTransfer(tenant, TransferId.of(id), amount);
    }

    public VoidPendingTransfer voidPending(String id) {
        return new VoidPendingTransfer(tenant, TransferId.of(id));
    }
}
