package io.tessel.vtcombo.differential;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * The suite's data, the same on every run (one seeded {@link Random}): multi-row INSERTs for vtgate and
 * the plain MariaDB alike, with NULLs, repeated values (ties), case and accent variants of the same
 * text, trailing spaces, negative numbers and decimals, negative and missing ids, rows of t2 and t3
 * pointing at no t1 row. The reference table's rows are loaded directly on every shard.
 */
final class DataSet {
    static final long SEED = 20261126L;
    static final int BATCH = 20;

    /** Case, accent and trailing-space variants that utf8mb4_general_ci treats as equal. */
    static final List<String> NAMES = List.of("abc", "ABC", "Abc", "abc ", "xyz", "XYZ", "foo", "Foo", "FOO",
            "bar", "Bar", "émile", "Emile", "EMILE", "zed", "o'neil", "a b", "m", "M", "Zoë");
    static final List<String> GROUPS = List.of("g1", "g2", "g3", "g4", "g5");
    static final List<String> LABELS = List.of("red", "Red", "RED", "green", "Green", "blue", "blue ", "Ärger",
            "arger", "teal");
    static final List<String> NOTES = List.of("n1", "N1", "n2", "note", "Note", "x");
    static final List<String> TAGS = List.of("alpha", "Alpha", "beta", "gamma", "GAMMA");
    /** Reference rows: codes g1..g4 (no g5: some t1 rows join nothing) and one code no t1 row has. */
    static final List<String> REF_ROWS = List.of("('g1', 'first', 10)", "('g2', 'Second', -5)",
            "('g3', 'third', null)", "('g4', 'FOURTH', 10)", "('x9', 'unused', 0)");

    private final Random random = new Random(SEED);

    /** The t1 ids: -10..-1 and 1..250. */
    static List<Long> t1Ids() {
        List<Long> ids = new ArrayList<>();
        for (long id = -10; id <= 250; id++) {
            if (id != 0) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Every INSERT in load order (t1, t2, t3, t5 and diffu.u1 by their sequences). */
    List<String> inserts() {
        List<String> out = new ArrayList<>();
        out.addAll(batches("insert into t1 (id, name, grp, amount, qty, score, created, flag) values ",
                t1Ids().stream().map(this::t1Row).toList()));
        List<String> t2 = new ArrayList<>();
        for (long id = 1; id <= 320; id++) {
            t2.add(row(id, nullOr(0.1, () -> (long) (random.nextInt(275) - 15)), text(0.1, LABELS),
                    nullOr(0.1, () -> random.nextInt(201) - 100)));
        }
        out.addAll(batches("insert into t2 (id, t1_id, label, score) values ", t2));
        List<String> t3 = new ArrayList<>();
        for (long id : t1Ids()) {
            if (random.nextDouble() < 0.6) {
                int count = 1 + random.nextInt(3);
                for (int seq = 1; seq <= count; seq++) {
                    t3.add(row(id, seq, text(0.15, NOTES)));
                }
            }
        }
        out.addAll(batches("insert into t3 (t1_id, seq, note) values ", t3));
        List<String> t5 = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            t5.add(row(nullOr(0.1, () -> (long) (random.nextInt(260) - 10)), text(0.1, TAGS)));
        }
        out.addAll(batches("insert into t5 (t1_id, tag) values ", t5));
        List<String> u1 = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            u1.add(row(nullOr(0.1, () -> (long) (random.nextInt(260) - 10)), text(0.1, TAGS),
                    nullOr(0.1, () -> BigDecimal.valueOf(random.nextInt(200_001) - 100_000, 3))));
        }
        out.addAll(batches("insert into diffu.u1 (t1_id, tag, val) values ", u1));
        return out;
    }

    /** The reference table's one INSERT, run on every shard and on the plain MariaDB. */
    static String referenceInsert() {
        return "insert into ref (code, descr, weight) values " + String.join(", ", REF_ROWS);
    }

    private String t1Row(long id) {
        Object amount = nullOr(0.1, () -> random.nextDouble() < 0.3
                ? new BigDecimal(List.of("0.00", "10.50", "-10.50", "99.99").get(random.nextInt(4)))
                : BigDecimal.valueOf(random.nextInt(100_001) - 50_000, 2));
        return row(id, text(0.1, NAMES), text(0.1, GROUPS), amount,
                nullOr(0.1, () -> random.nextInt(21) - 10),
                nullOr(0.15, () -> (random.nextInt(401) - 200) * 0.25),
                nullOr(0.1, () -> LocalDate.of(2024, 1, 1).plusDays(random.nextInt(400))),
                nullOr(0.1, () -> random.nextInt(2)));
    }

    private Object text(double nullChance, List<String> pool) {
        return nullOr(nullChance, () -> pool.get(random.nextInt(pool.size())));
    }

    private Object nullOr(double nullChance, Supplier<Object> value) {
        return random.nextDouble() < nullChance ? null : value.get();
    }

    private static List<String> batches(String prefix, List<String> rows) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += BATCH) {
            out.add(prefix + String.join(", ", rows.subList(i, Math.min(rows.size(), i + BATCH))));
        }
        return out;
    }

    /** A row's VALUES tuple. */
    static String row(Object... values) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (Object v : values) {
            j.add(literal(v));
        }
        return j.toString();
    }

    /** An SQL literal: NULL, a number as written, else a quoted string. */
    static String literal(Object value) {
        return switch (value) {
            case null -> "null";
            case Number n -> n instanceof BigDecimal d ? d.toPlainString() : n.toString();
            default -> "'" + value.toString().replace("'", "''") + "'";
        };
    }
}
