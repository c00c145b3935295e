package ledger.reconciliation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;
import ledger.reconciliation.processor.CsvColumnMapping;
import ledger.reconciliation.processor.ProcessorReportParser;
import ledger.reconciliation.statement.CamtParser;
import ledger.reconciliation.statement.Mt940Parser;
import ledger.reconciliation.statement.ParseSummary;
import ledger.reconciliation.statement.StatementEntry;
import ledger.reconciliation.statement.StatementListener;

/**
 * Parses a synthetic statement of the given size, generated while it is read (never held), and
 * prints what it saw and the heap it ran in. Run in a JVM with a small -Xmx, it shows the parsers
 * stream: {@code java -Xmx32m ... ledger.reconciliation.StreamingProbe mt940 100}.
 */
public final class StreamingProbe {
    private StreamingProbe() {
    }

    public static void main(String[] args) throws Exception {
        String format = args[0];
        long bytesMin = Long.parseLong(args[1]) * 1024 * 1024;
        long started = System.nanoTime();
        long[] count = {0};
        StatementListener counter = new StatementListener() {
            @Override
            public void entry(StatementEntry entry) {
                count[0]++;
            }
        };
        ParseSummary summary = switch (format) {
            case "mt940" -> new Mt940Parser(StandardCharsets.UTF_8).parse(mt940(bytesMin), counter);
            case "camt" -> new CamtParser().parse(camt(bytesMin), counter);
            case "csv" -> new ProcessorReportParser(CsvColumnMapping.stripeBalanceTransactions())
                    .parse(stripe(bytesMin), r -> count[0]++);
            default -> throw new IllegalArgumentException("format: mt940, camt or csv");
        };
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("format=" + format + " bytes=" + summary.bytes() + " entries=" + summary.entries()
                + " pushed=" + count[0] + " ms=" + ms + " maxHeapMb=" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " sha256=" + summary.sha256());
    }

    /** One statement whose :61: lines go on until the file has at least {@code bytesMin} bytes. */
    static InputStream mt940(long bytesMin) {
        String head = ":20:BIG\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C260301EUR0,00\n";
        // Each entry is a 1,00 EUR credit: the closing balance is the entry count.
        return new Generated(bytesMin, head, i -> ":61:2603020302C1,00NTRFREF" + i + "\n:86:payment " + i + " of a long statement\n",
                count -> ":62F:C260302EUR" + count + ",00\n-\n");
    }

    static InputStream camt(long bytesMin) {
        String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
                + "<BkToCstmrStmt><GrpHdr><MsgId>BIG</MsgId></GrpHdr><Stmt><Id>BIG-1</Id>"
                + "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>\n";
        String tail = "</Stmt></BkToCstmrStmt></Document>\n";
        return new Generated(bytesMin, head, i -> "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
                + "<BookgDt><Dt>2026-03-02</Dt></BookgDt><ValDt><Dt>2026-03-02</Dt></ValDt><NtryDtls><TxDtls>"
                + "<Refs><EndToEndId>E2E-" + i + "</EndToEndId></Refs><RmtInf><Ustrd>payment " + i
                + "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n", count -> tail);
    }

    static InputStream stripe(long bytesMin) {
        String head = "balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,description,automatic_payout_id\n";
        return new Generated(bytesMin, head,
                i -> "txn_" + i + ",2026-03-01 10:00:00,eur,10.00,0.59,9.41,charge,ch_" + i + ",Order " + i + ",po_" + (i / 1000) + "\n",
                count -> "");
    }

    /** Bytes made on demand: a head, then one chunk per index until {@code bytesMin} are out, then a tail. */
    static final class Generated extends InputStream {
        private final long bytesMin;
        private final LongFunction<String> chunks;
        private final LongFunction<String> tail;
        private byte[] current;
        private int position;
        private long index;
        private long produced;
        private boolean tailDone;

        Generated(long bytesMin, String head, LongFunction<String> chunks, LongFunction<String> tail) {
            this.bytesMin = bytesMin;
            this.chunks = chunks;
            this.tail = tail;
            this.current = head.getBytes(StandardCharsets.UTF_8);
            this.produced = current.length;
        }

        private boolean fill() {
            while (current == null || position == current.length) {
                if (tailDone) {
                    return false;
                }
                String next;
                if (produced < bytesMin) {
                    next = chunks.apply(index++);
                } else {
                    next = tail.apply(index);
                    tailDone = true;
                }
                current = next.getBytes(StandardCharsets.UTF_8);
                produced += current.length;
                position = 0;
            }
            return true;
        }

        @Override
        public int read() {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int n = 0;
            while (n < length && fill()) {
                int take = Math.min(length - n, current.length - position);
                System.arraycopy(current, position, buffer, offset + n, take);
                position += take;
                n += take;
            }
            return n == 0 ? -1 : n;
        }
    }
}
