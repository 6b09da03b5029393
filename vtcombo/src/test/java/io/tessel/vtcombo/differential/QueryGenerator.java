package io.tessel.vtcombo.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Reads generated from templates with random WHERE clauses (seeded, so the same on every run): comparisons
 * of numbers, decimals, dates and case-insensitive text, IS [NOT] NULL, BETWEEN, IN lists (on the vindex
 * column too, which routes to a subset of shards), NOT, combined with AND and OR. Templates cover point
 * and IN routes, scatter selects, ORDER BY with LIMIT, aggregates, GROUP BY, DISTINCT and joins.
 */
final class QueryGenerator {
    /** How many reads {@link #generate} makes by default. */
    static final int COUNT = 320;

    private static final String[] OPS = {"=", "<>", "<", "<=", ">", ">="};
    private static final String[] DECIMALS = {"-10.50", "0", "10.5", "99.99", "-250.25", "120", "-0.01"};
    private static final String[] TEXTS = {"abc", "ABC", "foo", "emile", "Émile", "m", "zed", "bar", "a", "xyz "};
    private static final String[] DATES = {"2024-01-15", "2024-03-01", "2024-06-30", "2024-12-31", "2025-01-20"};

    private final Random random;

    QueryGenerator(long seed) {
        random = new Random(seed);
    }

    /** {@code count} reads, cycling through the templates. */
    List<Query> generate(int count) {
        List<Function<String, Query>> templates = List.of(
                p -> Query.ordered("generated_scatter", "select id, name, amount, qty from t1 where " + p + " order by id"),
                p -> Query.unordered("generated_aggregate", "select count(*), sum(amount), min(qty), max(score), avg(qty) from t1 where " + p),
                p -> Query.unordered("generated_groupby", "select grp, count(*), sum(amount), avg(amount) from t1 where " + p + " group by grp"),
                p -> Query.ordered("generated_orderby_limit", "select id, amount, name from t1 where " + p + " order by amount desc, id limit "
                        + (1 + random.nextInt(20)) + (random.nextBoolean() ? " offset " + random.nextInt(10) : "")),
                p -> Query.unordered("generated_distinct", "select distinct name from t1 where " + p).ci(0),
                p -> Query.unordered("generated_cross_join", "select t1.id, t2.id, t2.label from t1 join t2 on t1.id = t2.t1_id where "
                        + qualify(p) + " and t2.score " + op() + " " + (random.nextInt(201) - 100)),
                p -> Query.unordered("generated_point_in", "select id, qty, score from t1 where id in " + idList() + " and (" + p + ")"),
                p -> Query.ordered("generated_colocated_join", "select t1.id, t3.seq, t3.note from t1 join t3 on t1.id = t3.t1_id where "
                        + qualify(p) + " order by t1.id, t3.seq"),
                p -> Query.ordered("generated_left_join", "select t1.id, t2.id, t2.score from t1 left join t2 on t2.t1_id = t1.id where "
                        + qualify(p) + " order by t1.id, t2.id"),
                p -> Query.unordered("generated_groupby_having", "select flag, count(*), sum(qty), min(name) from t1 where " + p
                        + " group by flag having count(*) > " + random.nextInt(5)).ci(3),
                p -> Query.unordered("generated_distinct_agg", "select count(distinct qty), sum(distinct qty), count(*) from t1 where " + p),
                p -> Query.ordered("generated_text_order", "select id, name, grp from t1 where " + p + " order by name"
                        + (random.nextBoolean() ? " desc" : "") + ", id limit " + (1 + random.nextInt(30))),
                p -> Query.ordered("generated_join_order_limit", "select t1.id, t1.name, t2.id, t2.score from t1 join t2 on t2.t1_id = t1.id where "
                        + qualify(p) + " order by t2.score, t2.id limit " + (1 + random.nextInt(15))),
                p -> Query.ordered("generated_groupby_text", "select name, count(*), sum(qty), max(amount) from t1 where " + p
                        + " group by name order by name").ci(0),
                p -> Query.unordered("generated_subquery", "select id, name from t1 where id " + (random.nextBoolean() ? "" : "not ")
                        + "in (select t1_id from t2 where t1_id is not null and score " + op() + " " + (random.nextInt(201) - 100)
                        + ") and (" + p + ")"),
                p -> Query.unordered("generated_union", "select id, name from t1 where " + p + " union"
                        + (random.nextBoolean() ? " all" : "") + " select t2.id, t2.label from t2 where t2.score " + op() + " "
                        + (random.nextInt(201) - 100)).ci(1));
        List<Query> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(templates.get(i % templates.size()).apply(predicate(1 + random.nextInt(3))));
        }
        return out;
    }

    /** {@code atoms} atoms joined by AND / OR, with parentheses. */
    private String predicate(int atoms) {
        String p = atom();
        for (int i = 1; i < atoms; i++) {
            p = random.nextInt(3) == 0 ? "(" + p + " or " + atom() + ")" : p + " and " + atom();
        }
        return p;
    }

    private String atom() {
        return switch (random.nextInt(14)) {
            case 0 -> "qty " + op() + " " + (random.nextInt(21) - 10);
            case 1 -> "amount " + op() + " " + pick(DECIMALS);
            case 2 -> "score " + op() + " " + (random.nextInt(81) - 40) * 0.5;
            case 3 -> "name " + op() + " '" + pick(TEXTS) + "'";
            case 4 -> "name in ('" + pick(TEXTS) + "', '" + pick(TEXTS) + "')";
            case 5 -> pick(new String[] {"name", "grp", "qty", "amount", "score", "created", "flag"})
                    + (random.nextBoolean() ? " is null" : " is not null");
            case 6 -> "qty between " + (random.nextInt(11) - 10) + " and " + random.nextInt(11);
            case 7 -> "amount between " + pick(DECIMALS) + " and " + pick(DECIMALS);
            case 8 -> "created " + op() + " '" + pick(DATES) + "'";
            case 9 -> "grp in ('g1', '" + pick(new String[] {"g2", "g3", "g4", "g5", "G2"}) + "')";
            case 10 -> "flag = " + random.nextInt(2);
            case 11 -> "not (qty " + op() + " " + (random.nextInt(11) - 5) + ")";
            case 12 -> "id " + op() + " " + (random.nextInt(270) - 15);
            default -> "id in " + idList();
        };
    }

    private String idList() {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            j.add(Integer.toString(random.nextInt(270) - 15));
        }
        return j.toString();
    }

    private String op() {
        return pick(OPS);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** Qualifies a t1 predicate's columns for a join (no generated text literal is a column name). */
    private static String qualify(String predicate) {
        return predicate.replaceAll("\\b(id|name|grp|qty|amount|score|created|flag)\\b", "t1.$1");
    }
}
