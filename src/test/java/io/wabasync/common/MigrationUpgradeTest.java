package io.wabasync.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A database as the previous release left it (schema version 2, with rows in every table) upgraded
 * by the current migrations, as an instance of the new release does at start: nothing is lost, and
 * what the new version adds is filled in for the old rows.
 */
class MigrationUpgradeTest {

    private static EmbeddedPostgres postgres;
    private static DataSource database;

    @BeforeAll
    static void startDatabase() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "migration-pg");
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
        database = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @Test
    void aVersion2DatabaseWithDataIsUpgradedWithoutLosingARow() throws SQLException {
        flyway("2").migrate();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO workspace VALUES ('00000000-0000-0000-0000-000000000001', 'Acme', now() - interval '9 days');
                    INSERT INTO api_key VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001',
                        'hash', 'wsk_abcdef', now());
                    INSERT INTO channel (id, workspace_id, phone_number, waba_id, access_token_enc, status, created_at, updated_at)
                        VALUES ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000001',
                        '+5215512345432', '102290129340398', '\\x0102', 'ACTIVE', now(), now());
                    """);
            for (int i = 0; i < 250; i++) {
                s.execute(String.format("""
                        INSERT INTO template (id, workspace_id, channel_id, provider_id, name, language, status, category,
                            components, created_at, updated_at, removed_at, status_as_of, quality_as_of, category_as_of)
                        VALUES ('10000000-0000-0000-0000-%012d', '00000000-0000-0000-0000-000000000001',
                            '00000000-0000-0000-0000-000000000003', '%d', 'name_%d', 'en_US', '%s', 'MARKETING',
                            '[{"type":"BODY","text":"Hi {{1}}"}]', now() - interval '1 day', now() - interval '%d minutes',
                            %s, now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour');
                        INSERT INTO template_status_history VALUES (gen_random_uuid(), '10000000-0000-0000-0000-%012d',
                            NULL, 'PENDING', now(), 'SYNC');
                        """, i, 1_000_000 + i, i, i % 3 == 0 ? "PENDING" : "APPROVED", i, i % 50 == 0 ? "now()" : "NULL", i));
            }
            s.execute("""
                    INSERT INTO sync_job (id, workspace_id, channel_id, kind, status, runner, started_at, heartbeat_at)
                        VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001',
                        '00000000-0000-0000-0000-000000000003', 'FULL', 'SUCCEEDED', 'host/1', now(), now());
                    INSERT INTO webhook_delivery (id, body_sha256, body, changes, received_at, status, next_attempt_at)
                        VALUES (gen_random_uuid(), 'abc', '{}', 0, now(), 'PENDING', now());
                    """);
        }
        List<Long> before = counts();
        String componentsBefore = single("SELECT string_agg(components::text, '|' ORDER BY id) FROM template");

        flyway(null).migrate();

        assertThat(counts()).as("rows per table").isEqualTo(before);
        assertThat(single("SELECT string_agg(components::text, '|' ORDER BY id) FROM template")).isEqualTo(componentsBefore);
        // Every old template has its integer id for LancePilot's surface, each a different one.
        Set<Long> numbers = new HashSet<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT number FROM template")) {
            while (rows.next()) {
                long number = rows.getLong(1);
                assertThat(rows.wasNull()).isFalse();
                numbers.add(number);
            }
        }
        assertThat(numbers).hasSize(250).allMatch(n -> n > 0);
        assertThat(single("SELECT count(*) FROM template WHERE components_as_of IS DISTINCT FROM updated_at")).isEqualTo("0");
        assertThat(single("SELECT count(*) FROM template WHERE locked")).isEqualTo("0");
        assertThat(single("SELECT count(*) FROM channel WHERE friendly_name IS NULL AND verified_name IS NULL")).isEqualTo("1");
        // A template made after the upgrade gets the next number, not one an old row has.
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO template (id, workspace_id, channel_id, provider_id, name, language, status, created_at, updated_at)
                    VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000003',
                            'new', 'new', 'en_US', 'PENDING', now(), now())
                    """);
        }
        assertThat(Long.parseLong(single("SELECT number FROM template WHERE provider_id = 'new'")))
                .isGreaterThan(numbers.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    private static Flyway flyway(String target) {
        var config = Flyway.configure().dataSource(database).locations("classpath:db/migration");
        if (target != null) {
            config.target(target);
        }
        return config.load();
    }

    private static List<Long> counts() throws SQLException {
        List<Long> counts = new ArrayList<>();
        for (String table : List.of("workspace", "api_key", "channel", "template", "template_status_history", "sync_job",
                "webhook_delivery")) {
            counts.add(Long.parseLong(single("SELECT count(*) FROM " + table)));
        }
        return counts;
    }

    private static String single(String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
