package ledger.api.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.List;
import ledger.audit.Ts6;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.command.AccountCommands.UpdateAccount;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.book.AccountState;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.transfer.TransferSnapshot;
import ledger.api.app.Views.AccountStatusView;
import ledger.api.app.Views.AccountView;
import ledger.api.app.Views.LegView;
import ledger.api.app.Views.TransferView;
import ledger.projections.LedgerQueries.AccountRow;
import ledger.sagas.settlement.SettlementCommands.StartSettlement;
import ledger.sagas.settlement.SettlementView;
import org.springframework.stereotype.Component;

/**
 * The one place a command's result and a read become {@link Views}: the first answer, every
 * idempotent replay (the view stored as JSON under the key) and a read of the same thing say the same.
 */
@Component
public class Results {
    private final ObjectMapper json;

    public Results(ObjectMapper json) {
        this.json = json;
    }

    /** The view of what a command that succeeded with {@code result} did. */
    public Object view(Object command, Object result) {
        if (result instanceof TransferSnapshot snapshot) {
            return transfer(snapshot);
        }
        if (command instanceof OpenAccount open) {
            return opened(open);
        }
        if (command instanceof StartSettlement start) {
            return SettlementView.accepted(start.started());
        }
        if (command instanceof ledger.sagas.reconciliation.ReconciliationCommands.UploadCommand) {
            return result; // an upload's progress (UploadProgress)
        }
        if (command instanceof FreezeAccount freeze) {
            return new AccountStatusView(freeze.accountId().value(), "FROZEN");
        }
        if (command instanceof UnfreezeAccount unfreeze) {
            return new AccountStatusView(unfreeze.accountId().value(), "OPEN");
        }
        if (command instanceof CloseAccount close) {
            return new AccountStatusView(close.accountId().value(), "CLOSED");
        }
        if (command instanceof UpdateAccount update && result instanceof AccountState state) {
            return new Views.AccountUpdateView(update.accountId().value(),
                    overdraftText(state.overdraftLimit().toWire(state.currency())),
                    update.metadata() == null ? null : new java.util.TreeMap<>(update.metadata()));
        }
        throw new IllegalStateException("no view for " + command.getClass().getName());
    }

    /** The type of {@link #view} for a command, to read a stored view back. */
    public static Class<?> viewType(Object command) {
        if (command instanceof OpenAccount) {
            return AccountView.class;
        }
        if (command instanceof StartSettlement) {
            return SettlementView.class;
        }
        if (command instanceof ledger.sagas.reconciliation.ReconciliationCommands.UploadCommand) {
            return ledger.sagas.reconciliation.ReconciliationCommands.UploadProgress.class;
        }
        if (command instanceof FreezeAccount || command instanceof UnfreezeAccount || command instanceof CloseAccount) {
            return AccountStatusView.class;
        }
        if (command instanceof UpdateAccount) {
            return Views.AccountUpdateView.class;
        }
        return TransferView.class;
    }

    /** Whether a command that succeeded created what it names (REST answers 201 then). */
    public static boolean creates(Object command) {
        return command instanceof CreateTransfer || command instanceof PostEntry || command instanceof OpenAccount
                || command instanceof StartSettlement
                || command instanceof ledger.domain.command.TransferCommands.ReverseTransfer;
    }

    public TransferView transfer(TransferSnapshot s) {
        String reversed = null;
        if (ledger.domain.transfer.Transfer.KIND_TRANSFER.equals(s.kind()) && !s.reversals().isEmpty()) {
            reversed = Money.format(s.reversedMinor(), new java.math.BigDecimal(s.legs().get(0).amount()).scale());
        }
        return new TransferView(s.transferId(), s.kind(), s.status().name(), legs(s.legs()), s.postedAmount(),
                s.expiresAt(), s.metadata(), s.createdAt(), s.reversalOf(), reversed,
                s.reversals().stream().map(r -> new Views.ReversalView(r.transferId(), r.amount())).toList());
    }

    public AccountView account(AccountRow a) {
        int scale = a.scale();
        AccountKind kind = AccountKind.valueOf(a.kind());
        long balance = AccountState.balance(kind, a.debitsPosted(), a.creditsPosted());
        long available = AccountState.available(kind, a.debitsPosted(), a.creditsPosted(), a.debitsPending(),
                a.creditsPending());
        return new AccountView(a.accountId(), a.currency(), a.kind(), a.status(), overdraftText(a.overdraftLimit()),
                Money.format(a.debitsPosted(), scale), Money.format(a.creditsPosted(), scale),
                Money.format(a.debitsPending(), scale), Money.format(a.creditsPending(), scale),
                Money.format(balance, scale), Money.format(available, scale), ts(a.openedAt()), ts(a.updatedAt()),
                a.metadata());
    }

    private static AccountView opened(OpenAccount open) {
        String zero = Money.format(0, open.currency().scale());
        return new AccountView(open.accountId().value(), open.currency().code(), open.kind().name(),
                AccountStatus.OPEN.name(), overdraftText(open.overdraftLimit().toWire(open.currency())), zero, zero,
                zero, zero, zero, zero, null, null, new java.util.TreeMap<>(open.metadata()));
    }

    /** "0.00" (no overdraft) renders as null: the field is absent when there is no overdraft. */
    private static String overdraftText(String stored) {
        if (OverdraftLimit.UNLIMITED.equals(stored)) {
            return stored;
        }
        return Money.minorOf(stored) == 0 ? null : stored;
    }

    public static String ts(OffsetDateTime time) {
        return Ts6.format(time.toInstant());
    }

    private static List<LegView> legs(List<Leg> legs) {
        return legs.stream().map(l -> new LegView(l.accountId(), l.side(), l.amount(), l.currency())).toList();
    }

    /** A view as the JSON stored under an idempotency key (and sent by REST). */
    public String write(Object view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A view stored by {@link #write}. */
    public <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored answer", e);
        }
    }

}
