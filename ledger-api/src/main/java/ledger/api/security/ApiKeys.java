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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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

    private final DSLContext dsl;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Optional<Caller>> byHash = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).build();

    public ApiKeys(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record IssuedKey(String id, String tenant, Set<Role> roles, String apiKey) {
    }

    public Optional<Caller> authenticate(String secret) {
        byte[] hash = hash(secret);
        return byHash.get(Sha256.hex(hash), h -> dsl.select(KEY_ID, KEY_TENANT, KEY_ROLES).from(KEY)
                .where(KEY_HASH.eq(hash))
                .fetchOptional(r -> new Caller(r.value2(), r.value1(), parseRoles(r.value3()))));
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
