package io.tessel.vtgate.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL 8's {@code INSERT ... VALUES (...) AS new ON DUPLICATE KEY UPDATE c = new.c} written the way every
 * MySQL and MariaDB understands ({@code c = VALUES(c)}): druid cannot parse the row alias and MariaDB does not
 * support it. Runs on normalized SQL, where literals are already bind variables, so a quoted string cannot
 * fool it. A column alias list ({@code AS new(a, b)}) is left alone (the parser then reports it). Stateless.
 */
final class RowAlias {
    private static final Pattern ALIAS = Pattern.compile(
            "(?is)^(\\s*(?:insert|replace)\\b.*\\))\\s+as\\s+(`[^`]+`|[a-z_][a-z0-9_$]*)\\s+(on\\s+duplicate\\s+key\\s+update\\s)(.*)$");

    private RowAlias() {}

    /** The statement with its row alias replaced by VALUES(), or {@code sql} itself when it has none. */
    static String rewrite(String sql) {
        String lead = sql.stripLeading();
        if (lead.length() < 40 || !(lead.regionMatches(true, 0, "insert", 0, 6) || lead.regionMatches(true, 0, "replace", 0, 7))) {
            return sql; // cheap exit for everything else
        }
        Matcher m = ALIAS.matcher(sql);
        if (!m.matches()) {
            return sql;
        }
        String alias = Pattern.quote(Names.unquote(m.group(2)));
        Pattern reference = Pattern.compile("(?i)(?<![\\w`.])`?" + alias + "`?\\.(`[^`]+`|[a-z_][a-z0-9_$]*)");
        String updates = reference.matcher(m.group(4)).replaceAll(r -> Matcher.quoteReplacement("values(" + r.group(1) + ")"));
        return m.group(1) + " " + m.group(3) + updates;
    }
}
