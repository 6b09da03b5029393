package io.tessel.vtcombo.differential;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compares what vtgate answered with what the plain MariaDB answered for one {@link Query}.
 *
 * <ul>
 *   <li>Column labels and type names must be equal (for a query with a known label difference, only the
 *       number of labels).</li>
 *   <li>Values are compared as the servers' text, so numbers must match textually (a DECIMAL's scale,
 *       AVG's scale, a DOUBLE's digits), NULL only with NULL.</li>
 *   <li>Rows are always compared as multisets; for {@link Query.Order#TOTAL} the sequences must be equal,
 *       for {@link Query.Order#KEYS} also the sequence of the key columns (folded as below, since
 *       equal keys under a case-insensitive collation may come in either spelling).</li>
 *   <li>Columns in {@link Query#ciColumns()} are folded first: lower case, accents removed, trailing
 *       spaces dropped, which is what {@code utf8mb4_general_ci} treats as equal. MySQL returns one
 *       arbitrary spelling of a group of equal strings (GROUP BY, DISTINCT, MIN/MAX, UNION), so only the
 *       folded value is defined.</li>
 * </ul>
 */
final class ResultComparison {
    private static final int SHOWN = 8;
    private static final Comparator<List<String>> ROW_ORDER = (a, b) -> String.valueOf(a).compareTo(String.valueOf(b));

    private ResultComparison() {}

    /**
     * Empty when vtgate's outcome is as expected, else what is wrong: equal to the reference's outcome, or for
     * a query with a {@link Query#known()} difference, still showing that difference (so the mark goes once
     * vtgate is fixed).
     */
    static Optional<String> check(Query query, Outcome expected, Outcome actual) {
        Optional<String> diff = compare(query, expected, actual);
        Query.Known known = query.known();
        if (known == null || !(expected instanceof Outcome.Rows want)) {
            return diff;
        }
        boolean isGone = known.isLabelsOnly()
                ? diff.isEmpty() && actual instanceof Outcome.Rows got && want.labels().equals(got.labels())
                : diff.isEmpty();
        if (isGone) {
            return Optional.of("the known difference is gone, remove its mark: " + known.reason());
        }
        return known.isLabelsOnly() ? diff : Optional.empty();
    }

    /** Empty when vtgate's outcome matches the reference's, else a description of the difference. */
    static Optional<String> compare(Query query, Outcome expected, Outcome actual) {
        if (!(expected instanceof Outcome.Rows want)) {
            return Optional.of("the reference MariaDB did not answer (a bad test query): " + expected);
        }
        if (actual instanceof Outcome.Failure f && f.code() == 1235) {
            return Optional.of("vtgate refused it (not in ExpectedUnsupported): " + f);
        }
        if (!(actual instanceof Outcome.Rows got)) {
            return Optional.of("vtgate failed: " + actual);
        }
        if (query.known() != null && query.known().isLabelsOnly() ? want.labels().size() != got.labels().size()
                : !want.labels().equals(got.labels())) {
            return Optional.of("column labels differ: expected " + want.labels() + ", vtgate " + got.labels());
        }
        if (!want.types().equals(got.types())) {
            return Optional.of("column types differ: expected " + want.types() + ", vtgate " + got.types());
        }
        List<List<String>> wantRows = fold(want.rows(), query);
        List<List<String>> gotRows = fold(got.rows(), query);
        Optional<String> multiset = compareMultisets(wantRows, gotRows);
        if (multiset.isPresent()) {
            return multiset;
        }
        return switch (query.order()) {
            case NONE -> Optional.empty();
            case TOTAL -> compareSequences(wantRows, gotRows, "rows");
            case KEYS -> compareSequences(keys(wantRows, query), keys(gotRows, query), "order keys " + query.orderKeys());
        };
    }

    /** Compares two update outcomes: the same affected-row count and insert id, or the same error code. */
    static Optional<String> compareUpdates(Outcome expected, Outcome actual) {
        if (expected instanceof Outcome.Updated && expected.equals(actual)) {
            return Optional.empty();
        }
        if (expected instanceof Outcome.Failure e && actual instanceof Outcome.Failure a && e.code() == a.code()) {
            return Optional.empty();
        }
        return Optional.of("expected " + expected + ", vtgate " + actual);
    }

    /** What {@code utf8mb4_general_ci} treats as equal text: lower case, no accents, no trailing spaces. */
    static String foldText(String value) {
        if (value == null) {
            return null;
        }
        String noAccents = Normalizer.normalize(value, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return noAccents.toLowerCase(Locale.ROOT).stripTrailing();
    }

    private static List<List<String>> fold(List<List<String>> rows, Query query) {
        if (query.ciColumns().isEmpty()) {
            return rows;
        }
        List<List<String>> out = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            List<String> folded = new ArrayList<>(row);
            for (int column : query.ciColumns()) {
                folded.set(column, foldText(row.get(column)));
            }
            out.add(folded);
        }
        return out;
    }

    private static List<List<String>> keys(List<List<String>> rows, Query query) {
        List<List<String>> out = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            out.add(query.orderKeys().stream().map(k -> foldText(row.get(k))).toList());
        }
        return out;
    }

    private static Optional<String> compareMultisets(List<List<String>> want, List<List<String>> got) {
        Map<List<String>, Integer> counts = new HashMap<>();
        want.forEach(r -> counts.merge(r, 1, Integer::sum));
        got.forEach(r -> counts.merge(r, -1, Integer::sum));
        List<List<String>> missing = new ArrayList<>();
        List<List<String>> extra = new ArrayList<>();
        counts.forEach((row, n) -> {
            for (int i = 0; i < Math.abs(n); i++) {
                (n > 0 ? missing : extra).add(row);
            }
        });
        if (missing.isEmpty() && extra.isEmpty()) {
            return Optional.empty();
        }
        missing.sort(ROW_ORDER);
        extra.sort(ROW_ORDER);
        return Optional.of("rows differ (expected " + want.size() + ", vtgate " + got.size() + "): missing "
                + missing.size() + " " + head(missing) + ", unexpected " + extra.size() + " " + head(extra));
    }

    private static Optional<String> compareSequences(List<List<String>> want, List<List<String>> got, String what) {
        for (int i = 0; i < want.size(); i++) {
            if (!want.get(i).equals(got.get(i))) {
                return Optional.of(what + " in a different order from row " + i + ": expected "
                        + head(want.subList(i, want.size())) + ", vtgate " + head(got.subList(i, got.size())));
            }
        }
        return Optional.empty();
    }

    private static String head(List<List<String>> rows) {
        return rows.size() <= SHOWN ? rows.toString() : rows.subList(0, SHOWN) + "...";
    }
}
