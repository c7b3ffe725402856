package io.wabasync.embedded;

import java.util.List;

/**
 * Whether this build carries PostgreSQL's binaries: the single-node build does, the cluster build
 * ({@code -Dcluster}) leaves them out, so a pod can never start a database of its own.
 */
public final class EmbeddedDatabaseBinaries {

    /** The archives the database library unpacks, one per platform (its naming). */
    public static final List<String> ARCHIVES = List.of("postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz",
            "postgres-linux-x86_64-alpine_linux.txz", "postgres-darwin-x86_64.txz", "postgres-darwin-arm_64.txz",
            "postgres-windows-x86_64.txz");

    private EmbeddedDatabaseBinaries() {
    }

    public static boolean included() {
        ClassLoader loader = EmbeddedDatabaseBinaries.class.getClassLoader();
        return ARCHIVES.stream().anyMatch(name -> loader.getResource(name) != null);
    }
}
