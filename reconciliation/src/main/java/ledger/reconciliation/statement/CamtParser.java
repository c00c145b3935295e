package ledger.reconciliation.statement;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import ledger.domain.money.CurrencyCode;

/**
 * Streams ISO 20022 bank-to-customer cash management messages with StAX: camt.053 statements,
 * camt.054 debit/credit notifications and camt.052 account reports, any message version (001.02,
 * 001.04, 001.08 are tested). Elements are recognised by local name and their path inside the
 * statement or entry, so the namespace version does not matter; v8's extra {@code Pty} level
 * under {@code Dbtr}/{@code Cdtr} is read through. One entry (with its transaction details) is held
 * at a time. DTDs and external entities are refused. See docs/reconciliation.md, "camt".
 */
public final class CamtParser {
    private static final Pattern NAMESPACE = Pattern.compile("urn:iso:std:iso:20022:tech:xsd:camt\\.(05[234])\\.001\\.([0-9]{2})");
    /** Longest text one element may carry; ISO 20022 texts are at most a few hundred characters. */
    public static final int TEXT_LENGTH_MAX = 10_000;
    /** Transactions one batch entry may list; more is refused rather than held in memory. */
    public static final int DETAILS_PER_ENTRY_MAX = 10_000;
    /** Depth of elements; camt needs about 15. */
    public static final int DEPTH_MAX = 64;

    public ParseSummary parse(InputStream input, StatementListener listener) throws IOException, StatementFormatException {
        ContentDigest digest = new ContentDigest(input);
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        trySet(factory, XMLConstants.ACCESS_EXTERNAL_DTD, "");
        Walker walker = new Walker(listener);
        XMLStreamReader xml = null;
        try {
            xml = factory.createXMLStreamReader(digest.shielded());
            walker.walk(xml);
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? walker.path()
                    : walker.path() + " (line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber() + ")";
            throw new StatementFormatException(where, "not well-formed XML: " + e.getMessage(), e);
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // closing a reader that already failed; the first error is the one reported
                }
            }
        }
        String sha = digest.finish();
        return new ParseSummary(walker.format.name() + " " + walker.namespace, sha, digest.bytes(), walker.statements, walker.entries);
    }

    private static void trySet(XMLInputFactory factory, String property, Object value) {
        try {
            factory.setProperty(property, value);
        } catch (IllegalArgumentException notSupported) {
            // Not every StAX implementation knows this property; DTD support is off anyway.
        }
    }

    /** Walks the element tree once, keeping the path, the open statement and the open entry. */
    private static final class Walker {
        private final StatementListener listener;
        private final Deque<String> names = new ArrayDeque<>();
        private final Deque<Map<String, Integer>> siblingCounts = new ArrayDeque<>();
        private final Deque<Integer> indexes = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private String currencyAttribute;

        StatementFormat format;
        String namespace;
        int statements;
        long entries;

        private String messageId;
        private StatementBuilder statement;
        private int statementDepth = -1;
        private EntryBuilder entry;
        private int entryDepth = -1;
        private DetailBuilder detail;
        private int detailDepth = -1;
        private BalanceBuilder balance;
        private int balanceDepth = -1;

        Walker(StatementListener listener) {
            this.listener = listener;
            siblingCounts.push(new HashMap<>());
        }

        void walk(XMLStreamReader xml) throws XMLStreamException, StatementFormatException {
            while (xml.hasNext()) {
                int event = xml.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> start(xml);
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (text.length() + xml.getTextLength() > TEXT_LENGTH_MAX) {
                            throw new StatementFormatException(path(), "element text is longer than " + TEXT_LENGTH_MAX + " characters");
                        }
                        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                    }
                    case XMLStreamConstants.END_ELEMENT -> end();
                    default -> {
                        // comments, processing instructions, whitespace outside elements
                    }
                }
            }
            if (format == null) {
                throw new StatementFormatException("/", "empty document");
            }
        }

        private void start(XMLStreamReader xml) throws StatementFormatException {
            String name = xml.getLocalName();
            Map<String, Integer> counts = siblingCounts.peek();
            int index = counts.merge(name, 1, Integer::sum);
            names.addLast(name);
            indexes.addLast(index);
            siblingCounts.push(new HashMap<>());
            if (names.size() > DEPTH_MAX) {
                throw new StatementFormatException(path(), "elements nested deeper than " + DEPTH_MAX);
            }
            text.setLength(0);
            currencyAttribute = xml.getAttributeValue(null, "Ccy");
            int depth = names.size();
            if (depth == 1) {
                root(xml, name);
            } else if (depth == 3 && isStatementElement(name)) {
                statement = new StatementBuilder(path());
                statementDepth = depth;
            } else if (statement != null && entry == null && depth == statementDepth + 1 && name.equals("Ntry")) {
                startStatementIfNeeded();
                entry = new EntryBuilder(path(), statement.entryCount + 1);
                entryDepth = depth;
            } else if (entry != null && name.equals("TxDtls") && detail == null) {
                if (entry.details.size() == DETAILS_PER_ENTRY_MAX) {
                    throw new StatementFormatException(path(), "more than " + DETAILS_PER_ENTRY_MAX + " transactions in one entry");
                }
                detail = new DetailBuilder();
                detailDepth = depth;
            } else if (statement != null && entry == null && depth == statementDepth + 1 && name.equals("Bal")) {
                balance = new BalanceBuilder(path());
                balanceDepth = depth;
            }
        }

        private void root(XMLStreamReader xml, String name) throws StatementFormatException {
            String ns = xml.getNamespaceURI();
            Matcher m = NAMESPACE.matcher(ns == null ? "" : ns);
            if (!name.equals("Document") || !m.matches()) {
                throw new StatementFormatException(path(), "not a camt.052/053/054 document (root " + name
                        + " in namespace " + (ns == null || ns.isEmpty() ? "(none)" : ns) + ")");
            }
            namespace = ns;
            format = switch (m.group(1)) {
                case "052" -> StatementFormat.CAMT_052;
                case "053" -> StatementFormat.CAMT_053;
                default -> StatementFormat.CAMT_054;
            };
        }

        private boolean isStatementElement(String name) {
            return switch (format) {
                case CAMT_052 -> name.equals("Rpt");
                case CAMT_053 -> name.equals("Stmt");
                case CAMT_054 -> name.equals("Ntfctn");
                case MT940 -> false;
            };
        }

        private void end() throws StatementFormatException {
            int depth = names.size();
            String value = text.toString().strip();
            String where = path();
            String name = names.peekLast();
            if (depth == 4 && name.equals("MsgId") && statement == null) {
                messageId = value;
            }
            if (balance != null && depth > balanceDepth) {
                balanceField(relative(balanceDepth), value, where);
            } else if (detail != null && depth > detailDepth) {
                detail.field(relative(detailDepth), value, currencyAttribute, where);
            } else if (entry != null && depth > entryDepth) {
                entry.field(relative(entryDepth), value, currencyAttribute, where);
            } else if (statement != null && depth > statementDepth && balance == null && entry == null) {
                statement.field(relative(statementDepth), value);
            }

            if (depth == balanceDepth && balance != null) {
                statement.balances.add(balance.build());
                balance = null;
                balanceDepth = -1;
            } else if (depth == detailDepth && detail != null) {
                entry.details.add(detail.build(where, entry.direction));
                detail = null;
                detailDepth = -1;
            } else if (depth == entryDepth && entry != null) {
                StatementEntry built = entry.build(statement);
                entry = null;
                entryDepth = -1;
                statement.entryCount++;
                entries++;
                listener.entry(built);
            } else if (depth == statementDepth && statement != null) {
                startStatementIfNeeded();
                listener.statementEnded(statement.info(format, messageId));
                statements++;
                statement = null;
                statementDepth = -1;
            }
            names.removeLast();
            indexes.removeLast();
            siblingCounts.pop();
            text.setLength(0);
        }

        private void startStatementIfNeeded() throws StatementFormatException {
            if (!statement.started) {
                statement.validate();
                statement.started = true;
                listener.statementStarted(statement.info(format, messageId));
            }
        }

        private void balanceField(String rel, String value, String where) throws StatementFormatException {
            switch (rel) {
                case "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry" -> balance.code = value;
                case "Amt" -> {
                    CurrencyCode ccy = Amounts.currency(currencyAttribute, where + "/@Ccy");
                    balance.currency = ccy.code();
                    balance.amount = Amounts.dotDecimal(value, ccy, where);
                }
                case "CdtDbtInd" -> balance.direction = direction(value, where);
                case "Dt/Dt", "Dt/DtTm" -> balance.date = date(value, where);
                default -> {
                    // sub-balances, availability: not needed
                }
            }
        }

        /** The path below the element at {@code depth}, by local names, with v8's Pty level removed. */
        private String relative(int depth) {
            StringBuilder sb = new StringBuilder();
            int i = 0;
            for (String n : names) {
                i++;
                if (i <= depth) {
                    continue;
                }
                if (n.equals("Pty")) {
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(n);
            }
            return sb.toString();
        }

        String path() {
            StringBuilder sb = new StringBuilder();
            var it = indexes.iterator();
            for (String n : names) {
                int idx = it.next();
                sb.append('/').append(n);
                if (n.equals("Stmt") || n.equals("Ntfctn") || n.equals("Rpt") || n.equals("Ntry") || n.equals("TxDtls")
                        || n.equals("Bal") || idx > 1) {
                    sb.append('[').append(idx).append(']');
                }
            }
            return sb.length() == 0 ? "/" : sb.toString();
        }
    }

    static Direction direction(String value, String where) throws StatementFormatException {
        return switch (value) {
            case "CRDT" -> Direction.CREDIT;
            case "DBIT" -> Direction.DEBIT;
            default -> throw new StatementFormatException(where, "credit/debit indicator must be CRDT or DBIT: " + Amounts.quote(value));
        };
    }

    /** {@code Dt} is a date; {@code DtTm} a date-time with or without offset: its local date is taken. */
    static LocalDate date(String value, String where) throws StatementFormatException {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value);
            }
            if (value.length() > 19 && (value.endsWith("Z") || value.charAt(value.length() - 6) == '+' || value.charAt(value.length() - 6) == '-')) {
                return OffsetDateTime.parse(value).toLocalDate();
            }
            return LocalDateTime.parse(value).toLocalDate();
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new StatementFormatException(where, "not an ISO date or date-time: " + Amounts.quote(value), e);
        }
    }

    private static final class BalanceBuilder {
        final String location;
        String code;
        BigDecimal amount;
        String currency;
        Direction direction;
        LocalDate date;

        BalanceBuilder(String location) {
            this.location = location;
        }

        Balance build() throws StatementFormatException {
            if (code == null || amount == null || direction == null) {
                throw new StatementFormatException(location, "balance needs Tp/CdOrPrtry, Amt and CdtDbtInd");
            }
            Balance.Kind kind = switch (code) {
                case "OPBD", "PRCD" -> Balance.Kind.OPENING;
                case "CLBD" -> Balance.Kind.CLOSING;
                case "ITBD" -> Balance.Kind.INTERMEDIATE_OPENING;
                default -> Balance.Kind.OTHER;
            };
            return new Balance(kind, code, direction == Direction.CREDIT ? amount : amount.negate(), currency, date);
        }
    }

    private static final class StatementBuilder {
        final String location;
        String id;
        String sequence;
        String iban;
        String otherId;
        String accountCurrency;
        String information;
        final List<Balance> balances = new ArrayList<>();
        long entryCount;
        boolean started;

        StatementBuilder(String location) {
            this.location = location;
        }

        void field(String rel, String value) {
            switch (rel) {
                case "Id" -> id = value;
                case "ElctrncSeqNb" -> sequence = value;
                case "LglSeqNb" -> {
                    if (sequence == null) {
                        sequence = value;
                    }
                }
                case "Acct/Id/IBAN" -> iban = value;
                case "Acct/Id/Othr/Id" -> otherId = value;
                case "Acct/Ccy" -> accountCurrency = value;
                case "AddtlStmtInf", "AddtlNtfctnInf", "AddtlRptInf" -> information = value;
                default -> {
                    // owner, servicer, pagination, summaries
                }
            }
        }

        void validate() throws StatementFormatException {
            if (id == null || id.isEmpty()) {
                throw new StatementFormatException(location + "/Id", "statement has no Id");
            }
            if (iban == null && otherId == null) {
                throw new StatementFormatException(location + "/Acct/Id", "statement names no account (IBAN or Othr/Id)");
            }
            if (accountCurrency != null) {
                Amounts.currency(accountCurrency, location + "/Acct/Ccy");
            }
        }

        StatementInfo info(StatementFormat format, String messageId) throws StatementFormatException {
            validate();
            AccountIdentification account = iban != null
                    ? new AccountIdentification(AccountIdentification.Scheme.IBAN, iban)
                    : new AccountIdentification(AccountIdentification.Scheme.OTHER, otherId);
            String currency = accountCurrency != null ? accountCurrency
                    : balances.isEmpty() ? null : balances.get(0).currency();
            return new StatementInfo(format, messageId, id, sequence, account, currency, balances, information, location, entryCount);
        }
    }

    /** The fields a transaction (TxDtls) and an entry share, by their path below the element. */
    private static class DetailBuilder {
        String endToEndId;
        String servicerReference;
        String instructionId;
        BigDecimal amount;
        String currency;
        String detailDirection;
        StringBuilder remittance;
        String creditorReference;
        String debtorName;
        String debtorAccount;
        String creditorName;
        String creditorAccount;

        void field(String rel, String value, String ccyAttribute, String where) throws StatementFormatException {
            switch (rel) {
                case "Refs/EndToEndId" -> endToEndId = value;
                case "Refs/AcctSvcrRef" -> servicerReference = value;
                case "Refs/InstrId" -> instructionId = value;
                case "Amt", "AmtDtls/TxAmt/Amt" -> {
                    if (amount == null) {
                        CurrencyCode ccy = Amounts.currency(ccyAttribute, where + "/@Ccy");
                        currency = ccy.code();
                        amount = Amounts.dotDecimal(value, ccy, where);
                    }
                }
                case "CdtDbtInd" -> detailDirection = value;
                case "RmtInf/Ustrd" -> {
                    if (remittance == null) {
                        remittance = new StringBuilder(value);
                    } else if (remittance.length() < TEXT_LENGTH_MAX) {
                        remittance.append('\n').append(value);
                    }
                }
                case "RmtInf/Strd/CdtrRefInf/Ref" -> creditorReference = value;
                case "RltdPties/Dbtr/Nm" -> debtorName = value;
                case "RltdPties/DbtrAcct/Id/IBAN", "RltdPties/DbtrAcct/Id/Othr/Id" -> debtorAccount = value;
                case "RltdPties/Cdtr/Nm" -> creditorName = value;
                case "RltdPties/CdtrAcct/Id/IBAN", "RltdPties/CdtrAcct/Id/Othr/Id" -> creditorAccount = value;
                default -> {
                    // agents, addresses, purposes, related dates
                }
            }
        }

        TransactionDetails build(String where, Direction entryDirection) throws StatementFormatException {
            Direction own = detailDirection != null ? direction(detailDirection, where + "/CdtDbtInd") : entryDirection;
            // The counterparty is whoever is not us: the debtor of money we received, the creditor of money we paid.
            boolean received = own != Direction.DEBIT;
            return new TransactionDetails(endToEndId, servicerReference, instructionId, amount, currency,
                    remittance == null ? null : remittance.toString(), creditorReference,
                    received ? firstNonNull(debtorName, creditorName) : firstNonNull(creditorName, debtorName),
                    received ? firstNonNull(debtorAccount, creditorAccount) : firstNonNull(creditorAccount, debtorAccount));
        }

        static String firstNonNull(String a, String b) {
            return a != null ? a : b;
        }
    }

    private static final class EntryBuilder {
        final String location;
        final int index;
        BigDecimal amount;
        String currency;
        Direction direction;
        boolean reversal;
        LocalDate bookingDate;
        LocalDate valueDate;
        String status;
        String domain;
        String family;
        String subFamily;
        String proprietaryCode;
        String servicerReference;
        String entryReference;
        String additionalInfo;
        final List<TransactionDetails> details = new ArrayList<>();

        EntryBuilder(String location, long index) {
            this.location = location;
            this.index = (int) index;
        }

        void field(String rel, String value, String ccyAttribute, String where) throws StatementFormatException {
            switch (rel) {
                case "Amt" -> {
                    CurrencyCode ccy = Amounts.currency(ccyAttribute, where + "/@Ccy");
                    currency = ccy.code();
                    amount = Amounts.dotDecimal(value, ccy, where);
                }
                case "CdtDbtInd" -> direction = direction(value, where);
                case "RvslInd" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new StatementFormatException(where, "reversal indicator must be true or false: " + Amounts.quote(value));
                    }
                    reversal = value.equals("true");
                }
                case "Sts", "Sts/Cd", "Sts/Prtry" -> {
                    if (!value.isEmpty()) {
                        status = value; // v2 writes BOOK as text, v8 wraps it in Cd
                    }
                }
                case "BookgDt/Dt", "BookgDt/DtTm" -> bookingDate = date(value, where);
                case "ValDt/Dt", "ValDt/DtTm" -> valueDate = date(value, where);
                case "AcctSvcrRef" -> servicerReference = value;
                case "NtryRef" -> entryReference = value;
                case "BkTxCd/Domn/Cd" -> domain = value;
                case "BkTxCd/Domn/Fmly/Cd" -> family = value;
                case "BkTxCd/Domn/Fmly/SubFmlyCd" -> subFamily = value;
                case "BkTxCd/Prtry/Cd" -> proprietaryCode = value;
                case "AddtlNtryInf" -> additionalInfo = value;
                default -> {
                    // NtryDtls/Btch, charges, interest, card data
                }
            }
        }

        StatementEntry build(StatementBuilder statement) throws StatementFormatException {
            if (amount == null) {
                throw new StatementFormatException(location, "entry has no Amt");
            }
            if (direction == null) {
                throw new StatementFormatException(location, "entry has no CdtDbtInd");
            }
            if (bookingDate == null && valueDate == null) {
                throw new StatementFormatException(location, "entry has neither BookgDt nor ValDt");
            }
            String code = domain != null
                    ? domain + (family == null ? "" : "/" + family) + (subFamily == null ? "" : "/" + subFamily)
                    : proprietaryCode;
            TransactionDetails only = details.size() == 1 ? details.get(0) : null;
            String remittance = only != null && only.remittanceInformation() != null ? only.remittanceInformation()
                    : only != null && only.creditorReference() != null ? only.creditorReference() : null;
            return new StatementEntry(statement.id, index, location, direction, reversal, amount, currency,
                    bookingDate, valueDate, status, code,
                    servicerReference != null ? servicerReference : only == null ? null : only.accountServicerReference(),
                    entryReference,
                    only == null ? null : only.endToEndId(),
                    remittance,
                    only == null ? null : only.counterpartyName(),
                    only == null ? null : only.counterpartyAccount(),
                    additionalInfo, details);
        }
    }
}
