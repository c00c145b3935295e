package ledger.api.app;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.model.Side;
import ledger.domain.transfer.Transfer;
import ledger.domain.transfer.TransferSnapshot;
import ledger.domain.transfer.TransferStatus;

/**
 * Whether a request that creates a transfer or entry asks for the one that exists under its id
 * (a retry by id, docs/retries.md): the request's fields whose values differ from the existing
 * transfer's, in REST's JSON names; none means the same transfer. What a transfer became later
 * (posted, voided, expired, reversed) is not content: a retry of a pending transfer that was posted
 * since is the same transfer. A pending transfer's {@code timeoutSeconds} is relative to when it was
 * sent, so only whether it has one is compared.
 */
public final class SameTransfer {
    private SameTransfer() {
    }

    /** The differing fields, in a fixed order; empty: the same transfer. */
    public static List<String> differences(Object command, TransferSnapshot existing) {
        if (command instanceof CreateTransfer transfer) {
            return differences(transfer, existing);
        }
        if (command instanceof PostEntry entry) {
            return differences(entry, existing);
        }
        throw new IllegalArgumentException("not a command that creates a transfer: " + command.getClass().getName());
    }

    private static List<String> differences(CreateTransfer request, TransferSnapshot existing) {
        List<String> differ = new ArrayList<>();
        if (!Transfer.KIND_TRANSFER.equals(existing.kind()) || existing.legs().size() != 2) {
            differ.add("kind");
            if (!request.metadata().equals(existing.metadata())) {
                differ.add("metadata");
            }
            return differ;
        }
        Leg debit = existing.leg(Side.DEBIT);
        Leg credit = existing.leg(Side.CREDIT);
        if (!request.debitAccount().value().equals(debit.accountId())) {
            differ.add("debitAccount");
        }
        if (!request.creditAccount().value().equals(credit.accountId())) {
            differ.add("creditAccount");
        }
        if (new BigDecimal(debit.amount()).compareTo(new BigDecimal(request.amount().toPlainString())) != 0) {
            differ.add("amount");
        }
        if (!request.amount().currency().code().equals(debit.currency())) {
            differ.add("currency");
        }
        if (request.pending() != createdPending(existing)) {
            differ.add("pending");
        }
        if ((request.timeout() != null) != (existing.expiresAt() != null)) {
            differ.add("timeoutSeconds");
        }
        if (!request.metadata().equals(existing.metadata())) {
            differ.add("metadata");
        }
        return differ;
    }

    private static List<String> differences(PostEntry request, TransferSnapshot existing) {
        List<String> differ = new ArrayList<>();
        if (!Transfer.KIND_ENTRY.equals(existing.kind())) {
            differ.add("kind");
        }
        if (!sameLegs(request.legs(), existing.legs())) {
            differ.add("legs");
        }
        if (!request.metadata().equals(existing.metadata())) {
            differ.add("metadata");
        }
        return differ;
    }

    /** The same postings, in any order: each account once, on the same side, with an equal amount. */
    private static boolean sameLegs(List<EntryLeg> requested, List<Leg> existing) {
        if (requested.size() != existing.size()) {
            return false;
        }
        Map<String, Leg> byAccount = new HashMap<>();
        existing.forEach(leg -> byAccount.put(leg.accountId(), leg));
        for (EntryLeg leg : requested) {
            Leg other = byAccount.get(leg.accountId().value());
            if (other == null || !Objects.equals(other.side(), leg.side().wire()) || !sameAmount(leg.amount(), other)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameAmount(String requested, Leg existing) {
        try {
            return new BigDecimal(requested).compareTo(new BigDecimal(existing.amount())) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the transfer was created pending (it may have been posted since: then it has a posted amount). */
    private static boolean createdPending(TransferSnapshot existing) {
        return existing.status() != TransferStatus.POSTED || existing.postedAmount() != null;
    }

    /** The refusal's detail for the fields that differ. */
    public static String detail(String transferId, List<String> fields) {
        return "transfer " + transferId + " exists with other content (" + String.join(", ", fields)
                + " differ); nothing was changed. Send a new id for a new transfer";
    }
}
