package ledger.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * A statement of fixed text with array parameters, run on the connection of the current transaction.
 * For the writes of the command path only: their values travel as arrays ({@code unnest}), so the
 * statement's text never changes, pgjdbc prepares it once per connection, and nothing is rendered
 * per call (whether PostgreSQL also plans it once: {@link #queryLongsPlannedOnce}). Queries go
 * through jOOQ.
 */
public final class Jdbc {
    private Jdbc() {
    }

    /** Array parameter types, as PostgreSQL names them. */
    public record Array(String type, Object[] values) {
    }

    /** Runs {@code sql} with the arrays as its parameters, in order; returns the update count. */
    public static int update(DSLContext dsl, String sql, Array... arrays) {
        return dsl.connectionResult(c -> run(c, sql, arrays));
    }

    /** Runs a query of one {@code bigint} column and one row with plain parameters; null when no row. */
    public static Long queryLong(DSLContext dsl, String sql, Object... parameters) {
        return dsl.connectionResult(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : null;
                }
            }
        });
    }

    /**
     * Runs a query of one row of {@code bigint} columns; parameters are {@link Array}s or plain values.
     * Returns the row's values, or an empty array when there is no row.
     */
    public static long[] queryLongs(DSLContext dsl, String sql, Object... parameters) {
        return dsl.connectionResult(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                bind(c, statement, parameters);
                try (ResultSet rows = statement.executeQuery()) {
                    return firstRow(rows);
                }
            }
        });
    }

    /**
     * {@link #queryLongs}, for a statement whose plan does not depend on its parameters' values, run
     * in a transaction: PostgreSQL is told to use the plan it made once for this connection's prepared
     * statement. Left to itself it plans anew at every call, since its generic plan takes each
     * {@code unnest} of an array parameter for 100 rows and so looks dearer than a plan for the arrays
     * at hand; for the batch's one big statement of many parts that planning cost twice its run
     * (pg_stat_statements, docs/performance.md). The setting is {@code SET LOCAL}: it ends with the
     * transaction, and travels in the statement's own round trip.
     */
    public static long[] queryLongsPlannedOnce(DSLContext dsl, String sql, Object... parameters) {
        return dsl.connectionResult(c -> {
            try (PreparedStatement statement = c.prepareStatement(GENERIC_PLAN + sql)) {
                bind(c, statement, parameters);
                boolean rows = statement.execute();
                while (!rows) {
                    if (statement.getUpdateCount() == -1) {
                        return new long[0];
                    }
                    rows = statement.getMoreResults();
                }
                try (ResultSet result = statement.getResultSet()) {
                    return firstRow(result);
                }
            }
        });
    }

    private static final String GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan;\n";

    private static void bind(Connection c, PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof Array array) {
                statement.setArray(i + 1, c.createArrayOf(array.type(), array.values()));
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }

    private static long[] firstRow(ResultSet rows) throws SQLException {
        if (!rows.next()) {
            return new long[0];
        }
        long[] out = new long[rows.getMetaData().getColumnCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.getLong(i + 1);
        }
        return out;
    }

    /** Runs a query of one text column with one array parameter; returns the column's values. */
    public static List<String> queryStrings(DSLContext dsl, String sql, Array array) {
        return dsl.connectionResult(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setArray(1, c.createArrayOf(array.type(), array.values()));
                List<String> out = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        out.add(rows.getString(1));
                    }
                }
                return out;
            }
        });
    }

    private static int run(Connection c, String sql, Array[] arrays) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, c.createArrayOf(arrays[i].type(), arrays[i].values()));
            }
            return statement.executeUpdate();
        }
    }
}
