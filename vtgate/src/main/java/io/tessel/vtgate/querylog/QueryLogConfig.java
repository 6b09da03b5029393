package io.tessel.vtgate.querylog;

import java.nio.file.Path;

/**
 * vtgate's structured query log settings: the JSON-lines file ({@code --querylog-file}; null for no log),
 * the fraction of statements logged ({@code --querylog-sample-rate}, 0 to 1), whether bind variable values
 * and error messages are written ({@code --querylog-include-values}; off, so no literal reaches the file),
 * and the bound of the queue between the query threads and the writer thread.
 */
public record QueryLogConfig(Path file, double sampleRate, boolean includeValues, int queueCapacity) {
    /** Entries waiting for the writer; past this they are dropped and counted. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final QueryLogConfig DISABLED = new QueryLogConfig(null, 1.0, false, DEFAULT_QUEUE_CAPACITY);

    public QueryLogConfig {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("--querylog-sample-rate must be from 0 to 1, not " + sampleRate);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("query log queue capacity must be at least 1, not " + queueCapacity);
        }
    }

    /** Logging every statement to {@code file}, without values. */
    public static QueryLogConfig toFile(Path file) {
        return new QueryLogConfig(file, 1.0, false, DEFAULT_QUEUE_CAPACITY);
    }

    public boolean isEnabled() {
        return file != null;
    }
}
