package io.tessel.vtgate.sql;

import io.tessel.proto.Query.BindVariable;
import java.util.Map;

/**
 * A statement after {@link Normalizer#normalize}: the text with its literals replaced by {@code :vtgN}
 * (the plan-cache key), the values of those variables in order of appearance, and the {@code /*vt+ *}{@code /}
 * directives read from its comments (keys upper-cased). Both maps are unmodifiable.
 */
public record NormalizedQuery(String sql, Map<String, BindVariable> bindVars, Map<String, String> directives) {
    /** A statement left as it is, with no variables. */
    static NormalizedQuery unchanged(String sql, Map<String, String> directives) {
        return new NormalizedQuery(sql, Map.of(), directives);
    }
}
