package ledger.api.security;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import ledger.api.signal.DatabaseSignals;
import ledger.audit.Sha256;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenants and API keys. A key is shown once when issued and stored only as the SHA-256 of its
 * secret (keys are 256 random bits, so a fast hash is enough); its id, a prefix of that hash, is
 * the audit {@code actor} of everything done with it.
 */
@Component
public class ApiKeys {
    public static final int BOOTSTRAP_KEY_LENGTH_MIN = 16;

    private static final Table<Record> TENANT = table(name("tenant"));
    private static final Field<String> TENANT_ID = field(name("tenant", "id"), SQLDataType.VARCHAR);
    private static final Field<OffsetDateTime> TENANT_CREATED = field(name("tenant", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    private static final Table<Record> KEY = table(name("api_key"));
    private static final Field<String> KEY_ID = field(name("api_key", "id"), SQLDataType.VARCHAR);
    private static final Field<String> KEY_TENANT = field(name("api_key", "tenant"), SQLDataType.VARCHAR);
    private static final Field<byte[]> KEY_HASH = field(name("api_key", "key_hash"), SQLDataType.BLOB);
    private static final Field<String> KEY_ROLES = field(name("api_key", "roles"), SQLDataType.VARCHAR);
    private static final Field<String> KEY_CREATED_BY = field(name("api_key", "created_by"), SQLDataType.VARCHAR);
    private static final Field<OffsetDateTime> KEY_CREATED = field(name("api_key", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    private static final Field<OffsetDateTime> KEY_REVOKED = field(name("api_key", "revoked_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    private static final Field<String> KEY_REVOKED_BY = field(name("api_key", "revoked_by"), SQLDataType.VARCHAR);
    /** The channel on which a revocation tells every node to forget the key (payload: hex of the key's hash). */
    static final String REVOKED_CHANNEL = "ledger_api_key_revoked";
    /** The most keys one listing page shows. */
    public static final int LIST_LIMIT_MAX = 1_000;

    private final DSLContext dsl;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Optional<Caller>> byHash = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).build();

    /**
     * Whether the cache may answer: only while this node hears every revocation ({@link
     * DatabaseSignals}); otherwise each request reads the key's row, so a key revoked on another node
     * is never accepted here after its revocation committed.
     */
    private volatile boolean cacheTrusted;

    public ApiKeys(DSLContext dsl, DatabaseSignals signals) {
        this.dsl = dsl;
        signals.subscribe(REVOKED_CHANNEL, new DatabaseSignals.Listener() {
            @Override
            public void signal(String hashHex) {
                byHash.invalidate(hashHex);
            }

            @Override
            public void lost() {
                cacheTrusted = false;
                byHash.invalidateAll();
            }

            @Override
            public void listening() {
                byHash.invalidateAll(); // revocations sent while not listening were missed
                cacheTrusted = true;
            }
        });
    }

    /** A key as its tenant's admins see it: never its secret (which is not stored) nor its hash. */
    public record KeyInfo(String id, Set<Role> roles, String createdBy, OffsetDateTime createdAt,
                          OffsetDateTime revokedAt, String revokedBy) {
    }

    public record IssuedKey(String id, String tenant, Set<Role> roles, String apiKey) {
    }

    public Optional<Caller> authenticate(String secret) {
        byte[] hash = hash(secret);
        if (!cacheTrusted) {
            return load(hash);
        }
        return byHash.get(Sha256.hex(hash), h -> load(hash));
    }

    private Optional<Caller> load(byte[] hash) {
        return dsl.select(KEY_ID, KEY_TENANT, KEY_ROLES).from(KEY)
                .where(KEY_HASH.eq(hash), KEY_REVOKED.isNull())
                .fetchOptional(r -> new Caller(r.value2(), r.value1(), parseRoles(r.value3())));
    }

    /** The tenant's keys (revoked ones too), by id, after {@code afterId} (null: from the first). */
    public List<KeyInfo> list(String tenant, String afterId, int limit) {
        if (limit < 1 || limit > LIST_LIMIT_MAX) {
            throw new IllegalArgumentException("limit " + limit);
        }
        return dsl.select(KEY_ID, KEY_ROLES, KEY_CREATED_BY, KEY_CREATED, KEY_REVOKED, KEY_REVOKED_BY).from(KEY)
                .where(KEY_TENANT.eq(tenant), afterId == null ? org.jooq.impl.DSL.noCondition() : KEY_ID.gt(afterId))
                .orderBy(KEY_ID)
                .limit(limit)
                .fetch(r -> new KeyInfo(r.value1(), parseRoles(r.value2()), r.value3(), r.value4(), r.value5(),
                        r.value6()));
    }

    /** What became of a revocation. */
    public enum Revoked { REVOKED, ALREADY_REVOKED, NOT_FOUND, LAST_ADMIN_KEY }

    /**
     * Revokes the tenant's key {@code id}: from the commit on it authenticates on no node (this one
     * forgets it at once, the others when the signal sent with the commit reaches them, and a node
     * that cannot hear signals does not cache keys). The tenant's last admin key is kept, or nobody
     * could manage its keys any more.
     */
    @Transactional
    public Revoked revoke(String tenant, String id, String revokedBy) {
        var row = dsl.select(KEY_HASH, KEY_ROLES, KEY_REVOKED).from(KEY)
                .where(KEY_TENANT.eq(tenant), KEY_ID.eq(id)).forUpdate().fetchOne();
        if (row == null) {
            return Revoked.NOT_FOUND;
        }
        if (row.value3() != null) {
            return Revoked.ALREADY_REVOKED;
        }
        if (parseRoles(row.value2()).contains(Role.ADMIN)) {
            // locks the tenant's active admin keys, so two revocations cannot each leave the other as the last
            List<String> admins = dsl.select(KEY_ID).from(KEY)
                    .where(KEY_TENANT.eq(tenant), KEY_REVOKED.isNull(), KEY_ROLES.like("%admin%"))
                    .forUpdate().fetch(r -> r.value1());
            if (admins.stream().filter(a -> !a.equals(id)).findAny().isEmpty()) {
                return Revoked.LAST_ADMIN_KEY;
            }
        }
        dsl.update(KEY).set(KEY_REVOKED, now()).set(KEY_REVOKED_BY, revokedBy)
                .where(KEY_TENANT.eq(tenant), KEY_ID.eq(id)).execute();
        String hashHex = Sha256.hex(row.value1());
        DatabaseSignals.notify(dsl, REVOKED_CHANNEL, hashHex);
        byHash.invalidate(hashHex);
        // and again after the commit: a request of this node may have cached it meanwhile
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        byHash.invalidate(hashHex);
                    }
                });
        return Revoked.REVOKED;
    }

    @Transactional
    public IssuedKey createTenant(String tenant, String createdBy) {
        int inserted = dsl.insertInto(TENANT).set(TENANT_ID, tenant).set(TENANT_CREATED, now())
                .onConflictDoNothing().execute();
        if (inserted == 0) {
            throw new LedgerRejection(RejectionCode.DUPLICATE_ID, "tenant " + tenant + " already exists");
        }
        return store(tenant, EnumSet.of(Role.ADMIN), newSecret(), createdBy);
    }

    @Transactional
    public IssuedKey issue(String tenant, Set<Role> roles, String createdBy) {
        return store(tenant, roles, newSecret(), createdBy);
    }

    /** Creates the tenant and a key with roles admin and operator, unless that key exists. */
    @Transactional
    public boolean bootstrap(String tenant, String secret) {
        if (secret.length() < BOOTSTRAP_KEY_LENGTH_MIN) {
            throw new IllegalArgumentException("LEDGER_BOOTSTRAP_API_KEY must have at least "
                    + BOOTSTRAP_KEY_LENGTH_MIN + " characters");
        }
        if (dsl.fetchExists(KEY, KEY_HASH.eq(hash(secret)))) {
            return false;
        }
        dsl.insertInto(TENANT).set(TENANT_ID, tenant).set(TENANT_CREATED, now()).onConflictDoNothing().execute();
        store(tenant, EnumSet.of(Role.ADMIN, Role.OPERATOR), secret, null);
        return true;
    }

    private IssuedKey store(String tenant, Set<Role> roles, String secret, String createdBy) {
        byte[] hash = hash(secret);
        String id = Sha256.hex(hash).substring(0, 16);
        dsl.insertInto(KEY)
                .set(KEY_ID, id)
                .set(KEY_TENANT, tenant)
                .set(KEY_HASH, hash)
                .set(KEY_ROLES, roles.stream().map(Role::wire).sorted().collect(Collectors.joining(",")))
                .set(KEY_CREATED_BY, createdBy)
                .set(KEY_CREATED, now())
                .execute();
        return new IssuedKey(id, tenant, roles, secret);
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "lk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hash(String secret) {
        return Sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<Role> parseRoles(String roles) {
        EnumSet<Role> set = EnumSet.noneOf(Role.class);
        Arrays.stream(roles.split(",")).filter(s -> !s.isBlank()).map(Role::parse).forEach(set::add);
        return set;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
