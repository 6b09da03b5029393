package io.tessel.vtgate.plan;

import java.util.Objects;

/**
 * What a cached plan depends on. {@code keyspaceTarget} is the session's target as Vitess forms its plan
 * prefix: keyspace, tablet type and any shard or destination ({@code customer@primary},
 * {@code customer:-80@replica}; empty when no keyspace is selected). {@code normalizedSql} is the
 * {@link io.tessel.vtgate.sql.Normalizer} output. {@code settingsBits} holds the session settings that
 * change how the same text is planned, as the flags below; a setting that only changes execution (autocommit,
 * workload, timeouts) must stay out of the key, or it would split the cache for nothing.
 */
public record PlanKey(String keyspaceTarget, String normalizedSql, int settingsBits) {
    /** sql_mode ANSI_QUOTES: {@code "x"} is a name, not a string. */
    public static final int ANSI_QUOTES = 1;
    /** sql_mode NO_BACKSLASH_ESCAPES: a backslash in a string is an ordinary character. */
    public static final int NO_BACKSLASH_ESCAPES = 1 << 1;
    /** sql_mode PIPES_AS_CONCAT: {@code ||} concatenates instead of meaning OR. */
    public static final int PIPES_AS_CONCAT = 1 << 2;

    public PlanKey {
        Objects.requireNonNull(keyspaceTarget, "keyspaceTarget");
        Objects.requireNonNull(normalizedSql, "normalizedSql");
    }
}
