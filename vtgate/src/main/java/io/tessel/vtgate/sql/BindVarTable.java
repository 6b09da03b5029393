package io.tessel.vtgate.sql;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bind variables one normalization creates: names {@code vtg1, vtg2, ...} in order of appearance,
 * skipping names the statement already uses, and the dedupe of identical literals (same type and value).
 * A statement has few literals, so dedupe is a linear scan until {@value #LINEAR_LIMIT} of them, then a
 * hash map (a multi-row INSERT can have thousands). Not thread-safe: one per normalization.
 */
final class BindVarTable {
    static final String PREFIX = "vtg";
    private static final int LINEAR_LIMIT = 16;
    private static final String[] NAMES = new String[64];

    static {
        for (int k = 1; k < NAMES.length; k++) {
            NAMES[k] = PREFIX + k;
        }
    }

    private record Literal(Type type, String value) {}

    private Map<String, BindVariable> vars;
    private Type[] types;
    private String[] values;
    private String[] names;
    private int count;
    private Map<Literal, String> index;
    private Set<String> reserved = Set.of();
    private int next = 1;

    /** Reserves every {@code :vtgN} name already in {@code sql}, so generated names do not collide. */
    void reserveUsedNames(String sql) {
        int at = sql.indexOf(":" + PREFIX);
        while (at >= 0) {
            int end = at + 1;
            while (end < sql.length() && isNameChar(sql.charAt(end))) {
                end++;
            }
            if (reserved.isEmpty()) {
                reserved = new HashSet<>();
            }
            reserved.add(sql.substring(at + 1, end));
            at = sql.indexOf(":" + PREFIX, end);
        }
    }

    /** The name of the variable holding this literal: a new one, or with {@code dedupe} an equal earlier one. */
    String add(Type type, String value, boolean dedupe) {
        if (dedupe) {
            String found = find(type, value);
            if (found != null) {
                return found;
            }
        }
        String name = nextName();
        if (vars == null) {
            vars = new LinkedHashMap<>();
        }
        vars.put(name, BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build());
        if (dedupe) {
            remember(type, value, name);
        }
        return name;
    }

    Map<String, BindVariable> bindVars() {
        return vars == null ? Map.of() : Collections.unmodifiableMap(vars);
    }

    private String find(Type type, String value) {
        if (index != null) {
            return index.get(new Literal(type, value));
        }
        for (int k = 0; k < count; k++) {
            if (types[k] == type && values[k].equals(value)) {
                return names[k];
            }
        }
        return null;
    }

    private void remember(Type type, String value, String name) {
        if (index != null) {
            index.put(new Literal(type, value), name);
            return;
        }
        if (count == LINEAR_LIMIT) {
            index = new HashMap<>();
            for (int k = 0; k < count; k++) {
                index.put(new Literal(types[k], values[k]), names[k]);
            }
            index.put(new Literal(type, value), name);
            return;
        }
        if (types == null) {
            types = new Type[4];
            values = new String[4];
            names = new String[4];
        } else if (count == types.length) {
            types = java.util.Arrays.copyOf(types, count * 2);
            values = java.util.Arrays.copyOf(values, count * 2);
            names = java.util.Arrays.copyOf(names, count * 2);
        }
        types[count] = type;
        values[count] = value;
        names[count++] = name;
    }

    private String nextName() {
        while (true) {
            int k = next++;
            String name = k < NAMES.length ? NAMES[k] : PREFIX + k;
            if (!reserved.contains(name)) {
                return name;
            }
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
