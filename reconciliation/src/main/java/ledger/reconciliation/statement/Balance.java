package ledger.reconciliation.statement;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One balance line of a statement. {@code amount} is signed (a debit balance is negative) and has
 * exactly the currency's ISO 4217 number of decimals. {@code typeCode} is the file's own code
 * (camt {@code OPBD}, {@code CLBD}, {@code CLAV}...; MT940 {@code 60F}, {@code 62M}, {@code 64}...).
 */
public record Balance(Kind kind, String typeCode, BigDecimal amount, String currency, LocalDate date) {
    public enum Kind {
        /** Booked balance at the start of the statement (camt OPBD/PRCD, MT940 60F). */
        OPENING,
        /** Booked balance at its end (camt CLBD, MT940 62F). */
        CLOSING,
        /** Opening balance of a statement continued from an earlier page (camt ITBD at the start, MT940 60M). */
        INTERMEDIATE_OPENING,
        /** Closing balance of a page continued on the next one (MT940 62M). */
        INTERMEDIATE_CLOSING,
        /** Anything else: available or forward balances (camt CLAV/FWAV, MT940 64/65) and proprietary codes. */
        OTHER
    }
}
