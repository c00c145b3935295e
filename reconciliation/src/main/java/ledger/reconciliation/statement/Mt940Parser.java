package ledger.reconciliation.statement;

import com.prowidesoftware.swift.model.field.Field28C;
import com.prowidesoftware.swift.model.field.Field61;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ledger.domain.money.CurrencyCode;

/**
 * Streams SWIFT MT940 customer statements, line by line.
 *
 * <p>The tokenizer here is ours: it finds the {@code :tag:} fields, their continuation lines and the
 * statement boundaries, and skips the envelopes banks wrap around them (FIN blocks
 * {@code {1:..}{2:..}{4:}, bank headers such as {@code ABNANL2A}/{@code 940}, trailers {@code -}
 * and {@code -XXX}). The grammar of a field's components (:61: above all) is Prowide's
 * ({@code pw-swift-core}); every component it returns is then validated here, because Prowide
 * accepts anything and so would turn a damaged line into a wrong amount. See
 * docs/reconciliation.md, "MT940".
 */
public final class Mt940Parser {
    /** MT940 lines are short (65 characters by the standard); bank exports run longer, never this long. */
    public static final int LINE_LENGTH_MAX = 10_000;
    /** Lines one field (a long :86:) may span. */
    public static final int FIELD_LINES_MAX = 500;
    /** Envelope lines tolerated before the first statement: more means this is not an MT940 file. */
    public static final int ENVELOPE_LINES_MAX = 50;

    private static final Pattern FIELD_START = Pattern.compile(":([0-9]{2}[A-Z]?):(.*)");
    /** A bank's end-of-message line such as {@code -XXX}; "-" and "-}" (end of FIN block 4) are always one. */
    private static final Pattern TRAILER = Pattern.compile("-[A-Z0-9]{1,8}");
    private static final Pattern YYMMDD = Pattern.compile("[0-9]{6}");
    private static final Pattern TYPE_CODE = Pattern.compile("[SNF][A-Z0-9]{3}");
    /** Subfield 8 (reference for the account owner) is 16x; anything after it on the line is detail. */
    private static final int OWNER_REFERENCE_LENGTH_MAX = 16;

    private final Charset charset;

    /** @param charset the file's encoding, always explicit (banks ship ISO-8859-1 as well as UTF-8). */
    public Mt940Parser(Charset charset) {
        this.charset = charset;
    }

    public ParseSummary parse(InputStream input, StatementListener listener) throws IOException, StatementFormatException {
        ContentDigest digest = new ContentDigest(input);
        InputStreamReader reader = new InputStreamReader(digest, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        State state = new State(listener);
        LineReader lines = new LineReader(new BufferedReader(reader, 1 << 16), LINE_LENGTH_MAX);
        try {
            String line;
            while ((line = lines.next()) != null) {
                state.line(line, lines.lineNumber());
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new StatementFormatException("line " + (lines.lineNumber()), "bytes are not valid " + charset.name(), e);
        }
        state.endOfInput(lines.lineNumber());
        String sha = digest.finish();
        return new ParseSummary(StatementFormat.MT940.name(), sha, digest.bytes(), state.statements, state.entries);
    }

    /** The tokenizer and the statement being built. */
    private static final class State {
        private final StatementListener listener;
        int statements;
        long entries;
        private int envelopeLines;

        // the field being collected
        private String tag;
        private final List<String> fieldLines = new ArrayList<>();
        private int fieldLine;

        // the open statement
        private boolean inStatement;
        private boolean started;
        private String statementId;
        private String sequenceNumber;
        private int statementLine;
        private AccountIdentification account;
        private CurrencyCode currency;
        private final List<Balance> balances = new ArrayList<>();
        private boolean openingSeen;
        private boolean closingSeen;
        private int entryIndex;
        private String information;

        // the :61: waiting for its :86: lines
        private PendingEntry pending;

        State(StatementListener listener) {
            this.listener = listener;
        }

        void line(String raw, int number) throws StatementFormatException {
            String line = raw;
            if (line.startsWith("{1:") || line.startsWith("{2:") || line.startsWith("{3:") || line.startsWith("{4:")) {
                int block4 = line.indexOf("{4:");
                if (block4 < 0) {
                    return; // basic/application header only
                }
                line = line.substring(block4 + 3);
                if (line.isEmpty()) {
                    return;
                }
            }
            if (line.isBlank()) {
                return; // banks separate statements and entries with blank lines
            }
            Matcher field = FIELD_START.matcher(line);
            if (field.matches()) {
                flushField();
                String newTag = field.group(1);
                if (newTag.equals("20")) {
                    // A new statement starts here; the previous one must be complete.
                    endStatement("line " + number);
                    inStatement = true;
                    statementLine = number;
                    envelopeLines = 0;
                } else if (!inStatement) {
                    throw new StatementFormatException("line " + number,
                            "field :" + newTag + ": before the statement's :20: (transaction reference)");
                }
                tag = newTag;
                fieldLines.clear();
                fieldLines.add(field.group(2));
                fieldLine = number;
                return;
            }
            String stripped = line.strip();
            if (stripped.equals("-") || stripped.startsWith("-}") || (closingSeen && TRAILER.matcher(stripped).matches())) {
                flushField();
                endStatement("line " + number);
                return;
            }
            if (tag != null) {
                if (fieldLines.size() == FIELD_LINES_MAX) {
                    throw new StatementFormatException("line " + number,
                            "field :" + tag + ": runs over more than " + FIELD_LINES_MAX + " lines");
                }
                fieldLines.add(line);
                return;
            }
            if (++envelopeLines > ENVELOPE_LINES_MAX) {
                throw new StatementFormatException("line " + number,
                        "no MT940 field (:20:) within the first " + ENVELOPE_LINES_MAX + " lines of envelope text");
            }
        }

        void endOfInput(int lastLine) throws StatementFormatException {
            flushField();
            endStatement("line " + (lastLine + 1) + " (end of file)");
            if (statements == 0) {
                throw new StatementFormatException("line " + (lastLine + 1) + " (end of file)",
                        "no MT940 statement found (no :20: field)");
            }
        }

        private void endStatement(String where) throws StatementFormatException {
            if (!inStatement) {
                return;
            }
            emitPending();
            if (!openingSeen) {
                throw new StatementFormatException(where, "statement " + statementId + " (from line " + statementLine
                        + ") has no opening balance :60F: or :60M:");
            }
            if (!closingSeen) {
                throw new StatementFormatException(where, "statement " + statementId + " (from line " + statementLine
                        + ") ends without a closing balance :62F: or :62M:");
            }
            startIfNeeded();
            listener.statementEnded(info());
            statements++;
            inStatement = false;
            started = false;
            statementId = null;
            sequenceNumber = null;
            account = null;
            currency = null;
            balances.clear();
            openingSeen = false;
            closingSeen = false;
            entryIndex = 0;
            information = null;
            tag = null;
            fieldLines.clear();
        }

        private void flushField() throws StatementFormatException {
            if (tag == null) {
                return;
            }
            String where = "line " + fieldLine;
            String value = String.join("\n", fieldLines);
            String first = fieldLines.get(0);
            String t = tag;
            tag = null;
            switch (t) {
                case "20" -> {
                    statementId = first.strip();
                    if (statementId.isEmpty()) {
                        throw new StatementFormatException(where, "field :20: (transaction reference) is empty");
                    }
                }
                case "25" -> {
                    String id = first.strip();
                    if (id.isEmpty()) {
                        throw new StatementFormatException(where, "field :25: (account identification) is empty");
                    }
                    account = accountIdentification(id);
                }
                case "28", "28C" -> {
                    Field28C f28 = new Field28C(first.strip());
                    if (f28.getStatementNumber() == null || !f28.getStatementNumber().matches("[0-9]{1,5}")) {
                        throw new StatementFormatException(where, "field :" + t + ": must be a statement number [/sequence]: "
                                + Amounts.quote(first));
                    }
                    sequenceNumber = f28.getSequenceNumber() == null
                            ? f28.getStatementNumber() : f28.getStatementNumber() + "/" + f28.getSequenceNumber();
                }
                case "60F", "60M" -> {
                    requireHeader(where, t);
                    if (openingSeen) {
                        throw new StatementFormatException(where, "second opening balance in statement " + statementId);
                    }
                    Balance b = balance(first, t, t.equals("60F") ? Balance.Kind.OPENING : Balance.Kind.INTERMEDIATE_OPENING, where);
                    currency = Amounts.currency(b.currency(), where);
                    balances.add(b);
                    openingSeen = true;
                }
                case "61" -> {
                    if (!openingSeen) {
                        throw new StatementFormatException(where, "statement line :61: before the opening balance :60F:/:60M:");
                    }
                    if (closingSeen) {
                        throw new StatementFormatException(where, "statement line :61: after the closing balance");
                    }
                    emitPending();
                    pending = entry(value, where);
                }
                case "86" -> {
                    if (pending != null) {
                        pending.addInformation(value);
                    } else if (closingSeen) {
                        // After :62F: it is information to the account owner on the statement as a whole.
                        information = information == null ? value.strip() : information + "\n" + value.strip();
                    }
                }
                case "62F", "62M" -> {
                    if (!openingSeen) {
                        throw new StatementFormatException(where, "closing balance before the opening balance");
                    }
                    emitPending();
                    balances.add(balance(first, t, t.equals("62F") ? Balance.Kind.CLOSING : Balance.Kind.INTERMEDIATE_CLOSING, where));
                    closingSeen = true;
                }
                case "64", "65" -> {
                    emitPending();
                    balances.add(balance(first, t, Balance.Kind.OTHER, where));
                }
                default -> {
                    // 13D date-time, 21 related reference, 34F floor limit, 90C/90D sums: not needed to reconcile.
                }
            }
        }

        /**
         * Field 25 is free text: an IBAN (its check digits decide, not its look), an IBAN followed by the
         * currency as some banks write it ({@code NL91ABNA0417164300EUR}), or the bank's own number.
         */
        private static AccountIdentification accountIdentification(String id) {
            String compact = id.replace(" ", "");
            if (Iban.isValid(compact)) {
                return new AccountIdentification(AccountIdentification.Scheme.IBAN, compact);
            }
            if (compact.length() > 3 && compact.substring(compact.length() - 3).matches("[A-Z]{3}")
                    && Iban.isValid(compact.substring(0, compact.length() - 3))) {
                return new AccountIdentification(AccountIdentification.Scheme.IBAN, compact.substring(0, compact.length() - 3));
            }
            return new AccountIdentification(AccountIdentification.Scheme.OTHER, id);
        }

        private void requireHeader(String where, String t) throws StatementFormatException {
            if (account == null) {
                throw new StatementFormatException(where, "field :" + t + ": before the account identification :25:");
            }
        }

        private Balance balance(String text, String t, Balance.Kind kind, String where) throws StatementFormatException {
            String v = text.strip();
            // 1!a D/C mark, 6!n date, 3!a currency, 15d amount. Checked here; the layout is fixed.
            if (v.length() < 12 || (v.charAt(0) != 'C' && v.charAt(0) != 'D')) {
                throw new StatementFormatException(where, "balance :" + t + ": must be C|D, YYMMDD, currency, amount: " + Amounts.quote(v));
            }
            LocalDate date = yymmdd(v.substring(1, 7), where, "balance date");
            CurrencyCode ccy = Amounts.currency(v.substring(7, 10), where);
            if (currency != null && !ccy.equals(currency)) {
                throw new StatementFormatException(where, "balance :" + t + ": is in " + ccy.code()
                        + " but the statement opened in " + currency.code());
            }
            BigDecimal amount = Amounts.commaDecimal(v.substring(10), ccy, where);
            return new Balance(kind, t, v.charAt(0) == 'D' ? amount.negate() : amount, ccy.code(), date);
        }

        private PendingEntry entry(String value, String where) throws StatementFormatException {
            Field61 f = new Field61(value);
            LocalDate valueDate = yymmdd(f.getValueDate(), where, "value date");
            LocalDate bookingDate = null;
            if (f.getEntryDate() != null) {
                bookingDate = entryDate(f.getEntryDate(), valueDate, where);
            }
            String mark = f.getDebitCreditMark();
            Direction direction;
            boolean reversal;
            if ("C".equals(mark) || "D".equals(mark)) {
                direction = "C".equals(mark) ? Direction.CREDIT : Direction.DEBIT;
                reversal = false;
            } else if ("RC".equals(mark) || "RD".equals(mark)) {
                // A reversal of a credit takes money out again, a reversal of a debit brings it back.
                direction = "RC".equals(mark) ? Direction.DEBIT : Direction.CREDIT;
                reversal = true;
            } else {
                throw new StatementFormatException(where, "statement line :61: needs a debit/credit mark C, D, RC or RD after the dates: "
                        + Amounts.quote(firstLine(value)));
            }
            BigDecimal amount;
            try {
                amount = Amounts.commaDecimal(f.getAmount(), currency, where);
            } catch (StatementFormatException e) {
                // Prowide's split of a damaged line says little on its own: show the whole line.
                throw new StatementFormatException(where, e.reason() + " in :61:" + Amounts.quote(firstLine(value)), e);
            }
            String type = (f.getTransactionType() == null ? "" : f.getTransactionType())
                    + (f.getIdentificationCode() == null ? "" : f.getIdentificationCode());
            if (!TYPE_CODE.matcher(type).matches()) {
                throw new StatementFormatException(where, "statement line :61: needs a transaction type such as NTRF after the amount: "
                        + Amounts.quote(firstLine(value)));
            }
            String owner = f.getReferenceForTheAccountOwner();
            if (owner == null || owner.isBlank()) {
                throw new StatementFormatException(where, "statement line :61: has no reference for the account owner (NONREF if none)");
            }
            String supplementary = f.getSupplementaryDetails();
            if (owner.length() > OWNER_REFERENCE_LENGTH_MAX && supplementary == null) {
                // Some banks (Rabobank) put the supplementary details on the same line, past the 16x reference.
                supplementary = owner.substring(OWNER_REFERENCE_LENGTH_MAX).strip();
                owner = owner.substring(0, OWNER_REFERENCE_LENGTH_MAX);
            }
            return new PendingEntry(where, direction, reversal, amount, valueDate, bookingDate, type, owner.strip(),
                    blankToNull(f.getReferenceOfTheAccountServicingInstitution()), blankToNull(supplementary));
        }

        private void emitPending() {
            if (pending == null) {
                return;
            }
            startIfNeeded();
            PendingEntry p = pending;
            pending = null;
            entryIndex++;
            String info = p.information();
            TransactionDetails detail = new TransactionDetails(null, p.servicerReference, null, p.amount, currency.code(),
                    info, null, null, null);
            listener.entry(new StatementEntry(statementId, entryIndex, p.location, p.direction, p.reversal, p.amount,
                    currency.code(), p.bookingDate, p.valueDate, "BOOK", p.typeCode, p.servicerReference, p.ownerReference,
                    null, info, null, null, p.supplementary, List.of(detail)));
            entries++;
        }

        private void startIfNeeded() {
            if (!started) {
                started = true;
                listener.statementStarted(info());
            }
        }

        private StatementInfo info() {
            return new StatementInfo(StatementFormat.MT940, null, statementId, sequenceNumber, account,
                    currency == null ? null : currency.code(), balances, information, "line " + statementLine, entryIndex);
        }

        private static LocalDate yymmdd(String text, String where, String what) throws StatementFormatException {
            if (text == null || !YYMMDD.matcher(text).matches()) {
                throw new StatementFormatException(where, what + " must be YYMMDD: " + Amounts.quote(text));
            }
            try {
                // SWIFT dates are in 2000..2099 only for the years a reconciliation will ever see.
                return LocalDate.of(2000 + Integer.parseInt(text.substring(0, 2)),
                        Integer.parseInt(text.substring(2, 4)), Integer.parseInt(text.substring(4, 6)));
            } catch (DateTimeException e) {
                throw new StatementFormatException(where, what + " is not a calendar date: " + Amounts.quote(text), e);
            }
        }

        /** The entry date is MMDD; its year is the value date's, or the next/previous one across New Year. */
        private static LocalDate entryDate(String mmdd, LocalDate valueDate, String where) throws StatementFormatException {
            if (!mmdd.matches("[0-9]{4}")) {
                throw new StatementFormatException(where, "entry date must be MMDD: " + Amounts.quote(mmdd));
            }
            int month = Integer.parseInt(mmdd.substring(0, 2));
            int year = valueDate.getYear();
            if (month - valueDate.getMonthValue() > 6) {
                year--;
            } else if (valueDate.getMonthValue() - month > 6) {
                year++;
            }
            try {
                return LocalDate.of(year, month, Integer.parseInt(mmdd.substring(2, 4)));
            } catch (DateTimeException e) {
                throw new StatementFormatException(where, "entry date is not a calendar date: " + Amounts.quote(mmdd), e);
            }
        }

        private static String firstLine(String value) {
            int nl = value.indexOf('\n');
            return nl < 0 ? value : value.substring(0, nl);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    private static final class PendingEntry {
        final String location;
        final Direction direction;
        final boolean reversal;
        final BigDecimal amount;
        final LocalDate valueDate;
        final LocalDate bookingDate;
        final String typeCode;
        final String ownerReference;
        final String servicerReference;
        final String supplementary;
        private StringBuilder information;

        PendingEntry(String location, Direction direction, boolean reversal, BigDecimal amount, LocalDate valueDate,
                     LocalDate bookingDate, String typeCode, String ownerReference, String servicerReference,
                     String supplementary) {
            this.location = location;
            this.direction = direction;
            this.reversal = reversal;
            this.amount = amount;
            this.valueDate = valueDate;
            this.bookingDate = bookingDate;
            this.typeCode = typeCode;
            this.ownerReference = ownerReference;
            this.servicerReference = servicerReference;
            this.supplementary = supplementary;
        }

        void addInformation(String text) {
            // Several :86: fields for one :61: (Rabobank) read as one text, one line each.
            String t = text.strip();
            if (information == null) {
                information = new StringBuilder(t);
            } else {
                information.append('\n').append(t);
            }
        }

        String information() {
            return information == null ? null : information.toString();
        }
    }
}
