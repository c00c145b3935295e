package ledger.api.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import ledger.api.config.LedgerProperties;
import ledger.audit.checkpoint.KeyFormatException;
import ledger.audit.checkpoint.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key that signs checkpoints: {@code ledger.audit.signing-key-file} (PKCS#8 PEM) when
 * set, otherwise {@code <dataDir>/keys/audit-ed25519.pem}, generated on first start and readable
 * by the owner only. Rotating means pointing the setting at a new file: the old public key stays
 * listed by {@code GET /v1/audit/public-key}.
 */
final class AuditKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(AuditKeyFile.class);
    static final String GENERATED_NAME = "audit-ed25519.pem";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private AuditKeyFile() {
    }

    static SigningKey load(LedgerProperties properties, SecureRandom random) {
        Path configured = properties.audit().signingKeyFile();
        if (configured != null && !configured.toString().isBlank()) {
            return read(configured);
        }
        Path generated = properties.dataDir().toAbsolutePath().resolve("keys").resolve(GENERATED_NAME);
        if (!Files.exists(generated)) {
            generate(generated, random);
        }
        return read(generated);
    }

    static SigningKey read(Path file) {
        try {
            SigningKey key = SigningKey.fromPkcs8Pem(Files.readString(file, StandardCharsets.US_ASCII));
            warnIfReadableByOthers(file);
            LOG.info("audit checkpoints are signed with {} from {}", key, file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit signing key " + file, e);
        } catch (KeyFormatException e) {
            throw new IllegalStateException("the audit signing key " + file + " is not an Ed25519 PKCS#8 PEM: "
                    + e.getMessage(), e);
        }
    }

    /** Writes a new key beside the target, owner-only from creation, then moves it in place atomically. */
    static void generate(Path file, SecureRandom random) {
        SigningKey key = SigningKey.generate(random);
        Path dir = file.getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            Path temp = Files.createTempFile(dir, ".audit-key-", ".tmp", attributes);
            Files.writeString(temp, key.toPkcs8Pem(), StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(temp); // another process won the race: use its key
            }
            LOG.info("generated the audit signing key {} in {}", key, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit signing key " + file, e);
        }
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            LOG.warn("the audit signing key {} is accessible to others ({}); chmod 600 it", file,
                    PosixFilePermissions.toString(permissions));
        }
    }
}
