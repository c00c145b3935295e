package ledger.reconciliation.statement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import ledger.reconciliation.processor.CsvColumnMapping;
import ledger.reconciliation.processor.ProcessorReportParser;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the project's own statement fixtures (bytes flipped, inserted, removed, lines
 * dropped, duplicated or cut short): every parser either reads the result or refuses it with a
 * {@link StatementFormatException} that says where; never another exception, never a hang.
 * {@code -Drecon.seed=N} replays a run.
 */
class ParserFuzzProperties {
    private static final int TRIES = 300;

    private interface Parse {
        void run(byte[] input) throws IOException, StatementFormatException;
    }

    @Test
    void camt053() throws Exception {
        fuzz("own-camt053-v08.xml", input -> new CamtParser().parse(new ByteArrayInputStream(input), e -> { }));
    }

    @Test
    void camt054() throws Exception {
        fuzz("own-camt054-v04.xml", input -> new CamtParser().parse(new ByteArrayInputStream(input), e -> { }));
    }

    @Test
    void mt940() throws Exception {
        fuzz("own-mt940-fin.sta", input -> new Mt940Parser(StandardCharsets.ISO_8859_1)
                .parse(new ByteArrayInputStream(input), e -> { }));
    }

    @Test
    void stripeCsv() throws Exception {
        fuzz("stripe-balance.csv", input -> new ProcessorReportParser(CsvColumnMapping.stripeBalanceTransactions())
                .parse(new ByteArrayInputStream(input), r -> { }));
    }

    @Test
    void paypalCsv() throws Exception {
        fuzz("paypal-settlement.csv", input -> new ProcessorReportParser(CsvColumnMapping.paypalSettlement())
                .parse(new ByteArrayInputStream(input), r -> { }));
    }

    private static void fuzz(String fixture, Parse parse) throws Exception {
        long seed = Long.getLong("recon.seed", System.nanoTime());
        Random random = new Random(seed);
        byte[] valid = Fixtures.bytes(fixture);
        parse.run(valid); // the fixture itself is read
        for (int i = 0; i < TRIES; i++) {
            byte[] mutated = mutate(random, valid);
            try {
                parse.run(mutated);
            } catch (StatementFormatException refused) {
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    throw new AssertionError(fixture + ": a refusal without a reason (seed " + seed + ", try " + i + ")");
                }
            } catch (RuntimeException | IOException | Error e) {
                throw new AssertionError(fixture + ": mutation " + i + " failed with " + e + " instead of a"
                        + " StatementFormatException; -Drecon.seed=" + seed + " replays it", e);
            }
        }
        System.out.println("parser fuzz " + fixture + ": " + TRIES + " mutations, -Drecon.seed=" + seed);
    }

    private static byte[] mutate(Random r, byte[] valid) {
        byte[] out = valid.clone();
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            if (out.length == 0) { // a line removal can leave nothing: the byte mutations need one to change
                out = new byte[] {'x'};
            }
            switch (r.nextInt(6)) {
                case 0 -> out[r.nextInt(out.length)] = (byte) r.nextInt(256);
                case 1 -> out[r.nextInt(out.length)] = (byte) "0123456789-+.,:/<>&\"' \n\r\tZ".charAt(r.nextInt(26));
                case 2 -> out = Arrays.copyOf(out, Math.max(1, r.nextInt(out.length)));
                case 3 -> {
                    int at = r.nextInt(out.length);
                    int len = 1 + r.nextInt(Math.min(64, out.length - at));
                    byte[] shorter = new byte[out.length - len];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + len, shorter, at, out.length - at - len);
                    out = shorter.length == 0 ? new byte[] {'x'} : shorter;
                }
                case 4 -> {
                    List<String> lines = new java.util.ArrayList<>(List.of(new String(out, StandardCharsets.ISO_8859_1)
                            .split("\n", -1)));
                    int i = r.nextInt(lines.size());
                    if (r.nextBoolean()) {
                        lines.add(i, lines.get(i));
                    } else if (lines.size() > 1) {
                        lines.remove(i);
                    }
                    out = String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
                }
                default -> {
                    int at = r.nextInt(out.length + 1);
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) r.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }
}
