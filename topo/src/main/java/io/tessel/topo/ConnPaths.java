package io.tessel.topo;

import java.util.Objects;

/**
 * The path rules of {@link TopoConn}, shared by every backend so they accept and reject the same paths:
 * leading and trailing '/' are ignored, and empty, {@code "."} and {@code ".."} segments are rejected.
 * Stateless.
 */
public final class ConnPaths {
    private ConnPaths() {}

    /**
     * The path without leading and trailing '/': {@code ""} for the root directory, else segments joined by
     * single '/'.
     *
     * @throws IllegalArgumentException for an empty, {@code "."} or {@code ".."} segment
     */
    public static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        String trimmed = path.substring(from, to);
        for (String segment : trimmed.split("/", -1)) {
            if (!trimmed.isEmpty() && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
                throw new IllegalArgumentException("invalid topo path '" + path + "'");
            }
        }
        return trimmed;
    }

    /**
     * The normalized path of a file, which cannot be the root directory.
     *
     * @throws IllegalArgumentException for a malformed path or one naming the root
     */
    public static String file(String path) {
        String relative = normalize(path);
        if (relative.isEmpty()) {
            throw new IllegalArgumentException("a file path is required, got '" + path + "'");
        }
        return relative;
    }

    /** An absolute root as backends store it: {@code ""} for the top of the store, else {@code "/a/b"}. */
    public static String root(String root) {
        String normalized = normalize(root);
        return normalized.isEmpty() ? "" : "/" + normalized;
    }
}
