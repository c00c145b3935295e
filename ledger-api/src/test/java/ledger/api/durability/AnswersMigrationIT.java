package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Idempotency answers stored before V7 (an HTTP status and body) become neutral answers (a refusal's
 * code and detail, or the view's JSON) and so keep replaying the same on both APIs.
 */
class AnswersMigrationIT extends ScratchDatabaseIT {
    private static final String VIEW = "{\"id\":\"t-1\",\"kind\":\"TRANSFER\",\"status\":\"POSTED\"}";
    private static final String PROBLEM = "{\"type\":\"https://ledger.invalid/problems/insufficient_funds\","
            + "\"title\":\"Unprocessable Entity\",\"status\":422,\"code\":\"insufficient_funds\","
            + "\"detail\":\"account wallet would pass its limit\",\"instance\":\"/v1/transfers\"}";

    @Test
    void answersStoredAsHttpBecomeNeutralAnswers() throws SQLException {
        migrate("6");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO idempotency_record (tenant, idempotency_key, request_hash, status_code, response_body,"
                    + " created_at) VALUES ('t', 'ok', '\\x01', 201, '" + VIEW + "', now()),"
                    + " ('t', 'refused', '\\x02', 422, '" + PROBLEM + "', now())");
        }
        migrate(null);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT idempotency_key, refusal_code, refusal_detail, result"
                    + " FROM idempotency_record ORDER BY idempotency_key")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("ok");
                assertThat(r.getString(2)).isNull();
                assertThat(r.getString(3)).isNull();
                assertThat(r.getString(4)).isEqualTo(VIEW);
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("refused");
                assertThat(r.getString(2)).isEqualTo("insufficient_funds");
                assertThat(r.getString(3)).isEqualTo("account wallet would pass its limit");
                assertThat(r.getString(4)).isNull();
                assertThat(r.next()).isFalse();
            }
            assertThatThrownBy(() -> s.execute("SELECT status_code FROM idempotency_record"))
                    .as("the HTTP columns are gone").isInstanceOf(SQLException.class);
            // an answer is a refusal or a result, never both nor neither
            assertThatThrownBy(() -> s.execute("INSERT INTO idempotency_record (tenant, idempotency_key, request_hash,"
                    + " created_at) VALUES ('t', 'neither', '\\x03', now())")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("INSERT INTO idempotency_record (tenant, idempotency_key, request_hash,"
                    + " refusal_code, result, created_at) VALUES ('t', 'both', '\\x04', 'x', '{}', now())"))
                    .isInstanceOf(SQLException.class);
        }
    }
}
