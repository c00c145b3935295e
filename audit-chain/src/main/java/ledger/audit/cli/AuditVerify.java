package ledger.audit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ledger.audit.checkpoint.KeyFormatException;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.proof.InclusionProofDocument;
import ledger.audit.proof.InclusionProofDocumentVerifier;
import ledger.audit.verify.ExportSummary;
import ledger.audit.verify.ExportVerifier;
import ledger.audit.verify.VerificationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar audit-verify.jar verify EXPORT.jsonl --public-key BASE64} and
 * {@code java -jar audit-verify.jar verify-inclusion PROOF.json --public-key BASE64}.
 *
 * <p>Exit codes: 0 verified (one-line summary on stdout); 1 verification failed (the first failing
 * line, the check and the reason on stdout); 2 the tool could not run (bad arguments or key,
 * unreadable file; message on stderr).
 */
@Command(name = "audit-verify", mixinStandardHelpOptions = true, version = "audit-verify 1 (AUDIT-CHAIN.md v1)",
        description = "Verifies ledger audit exports and inclusion proofs (AUDIT-CHAIN.md).",
        subcommands = {AuditVerify.VerifyExport.class, AuditVerify.VerifyInclusion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:verified", "1:verification failed", "2:could not run (arguments, key or file)"})
public final class AuditVerify {

    public static final int VERIFIED = 0;
    public static final int FAILED = 1;
    public static final int CANNOT_RUN = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the command line with explicit output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AuditVerify());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> CANNOT_RUN);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println(e.getMessage());
            e.getCommandLine().usage(err);
            return CANNOT_RUN;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    abstract static class KeyedCommand implements Callable<Integer> {

        @Option(names = "--public-key", required = true, paramLabel = "BASE64",
                description = "the trusted Ed25519 public key: base64 of its raw 32 bytes")
        String publicKey;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            VerifyingKey key;
            try {
                key = VerifyingKey.fromBase64(publicKey);
            } catch (KeyFormatException e) {
                err.println("--public-key: " + e.getMessage());
                return CANNOT_RUN;
            }
            try (InputStream in = Files.newInputStream(file())) {
                out.println(verify(in, key));
                return VERIFIED;
            } catch (VerificationException e) {
                out.println("FAIL " + file() + " " + e.getMessage());
                return FAILED;
            } catch (IOException e) {
                err.println("cannot read " + file() + ": " + e);
                return CANNOT_RUN;
            }
        }

        abstract Path file();

        abstract String verify(InputStream in, VerifyingKey key) throws VerificationException, IOException;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verifies an export (JSON Lines) with the six checks of AUDIT-CHAIN.md section 5.")
    static final class VerifyExport extends KeyedCommand {

        @Parameters(index = "0", paramLabel = "EXPORT.jsonl", description = "the export file")
        Path export;

        @Override
        Path file() {
            return export;
        }

        @Override
        String verify(InputStream in, VerifyingKey key) throws VerificationException, IOException {
            ExportSummary summary = new ExportVerifier(key).verify(in);
            return summary.toString();
        }
    }

    @Command(name = "verify-inclusion", mixinStandardHelpOptions = true,
            description = "Verifies a saved inclusion-proof response "
                    + "{eventId, position, hash, treeSize, rootHash, proof, checkpoint, signature}.")
    static final class VerifyInclusion extends KeyedCommand {

        @Parameters(index = "0", paramLabel = "PROOF.json", description = "the inclusion-proof document")
        Path proof;

        @Override
        Path file() {
            return proof;
        }

        @Override
        String verify(InputStream in, VerifyingKey key) throws VerificationException, IOException {
            InclusionProofDocument doc = InclusionProofDocumentVerifier.verify(in, key);
            return "OK event " + doc.eventId() + " with hash " + doc.hash() + " is at position " + doc.position()
                    + " of the log of tenant " + doc.signed().checkpoint().tenant() + " (tree size " + doc.treeSize()
                    + ", root " + doc.rootHash() + "), signed by key " + doc.signed().checkpoint().keyId() + " at "
                    + doc.signed().checkpoint().issuedAt();
        }
    }
}
