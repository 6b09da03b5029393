package io.tessel.vttablet.mysqlctl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run a private MariaDB: where its binaries are, under which directory its throw-away instance
 * directory goes, which databases to create, and how long start and stop may take. Immutable.
 *
 * @param mariadbd      the server binary
 * @param installDb     {@code mariadb-install-db}, which creates the system tables
 * @param parentDir     where the instance directory {@code tessel-mysqld-*} is created
 * @param databases     databases created once the server is up
 * @param startTimeout  how long to wait for the server to accept connections
 * @param stopTimeout   how long to wait after SIGTERM before SIGKILL
 * @param extraArgs     more {@code mariadbd} options, appended after the defaults
 */
public record MysqldConfig(Path mariadbd, Path installDb, Path parentDir, List<String> databases,
                           Duration startTimeout, Duration stopTimeout, List<String> extraArgs) {
    public static final Path DEFAULT_MARIADBD = Path.of("/usr/sbin/mariadbd");
    public static final Path DEFAULT_INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

    public MysqldConfig {
        Objects.requireNonNull(mariadbd, "mariadbd");
        Objects.requireNonNull(installDb, "installDb");
        Objects.requireNonNull(parentDir, "parentDir");
        databases = List.copyOf(databases);
        extraArgs = List.copyOf(extraArgs);
    }

    /** The system binaries, the JVM's temp directory, no databases, 60 s to start and 20 s to stop. */
    public static MysqldConfig defaults() {
        return new MysqldConfig(DEFAULT_MARIADBD, DEFAULT_INSTALL_DB, Path.of(System.getProperty("java.io.tmpdir")),
                List.of(), Duration.ofSeconds(60), Duration.ofSeconds(20), List.of());
    }

    public MysqldConfig withDatabases(String... names) {
        return new MysqldConfig(mariadbd, installDb, parentDir, List.of(names), startTimeout, stopTimeout, extraArgs);
    }

    public MysqldConfig withParentDir(Path dir) {
        return new MysqldConfig(mariadbd, installDb, dir, databases, startTimeout, stopTimeout, extraArgs);
    }

    public MysqldConfig withExtraArgs(String... args) {
        return new MysqldConfig(mariadbd, installDb, parentDir, databases, startTimeout, stopTimeout, List.of(args));
    }

    /** True when both binaries exist and can be run. */
    public boolean hasBinaries() {
        return Files.isExecutable(mariadbd) && Files.isExecutable(installDb);
    }
}
