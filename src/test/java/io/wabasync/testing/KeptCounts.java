package io.wabasync.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The check that the kept template counts are exact: how many (channel, workspace, status) keys
 * whose kept sum differs from a {@code count(*)} of the listed rows. One statement, one snapshot,
 * so it holds at any moment, with writers running or not.
 */
public final class KeptCounts {

    public static final String MISMATCHES = """
            SELECT count(*) FROM (
                SELECT channel_id, workspace_id, status, count(*) AS n FROM template WHERE removed_at IS NULL
                 GROUP BY 1, 2, 3) counted
              FULL JOIN (
                SELECT channel_id, workspace_id, status, sum(n) AS n FROM template_count
                 GROUP BY 1, 2, 3 HAVING sum(n) <> 0) kept USING (channel_id, workspace_id, status)
             WHERE counted.n IS DISTINCT FROM kept.n
            """;

    private KeptCounts() {
    }

    /** {@link #MISMATCHES} on a database the test reaches directly (the packaged service's). */
    public static long mismatches(DataSource database) {
        try (Connection conn = database.getConnection(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(MISMATCHES)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
