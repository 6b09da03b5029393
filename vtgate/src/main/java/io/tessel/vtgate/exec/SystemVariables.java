package io.tessel.vtgate.exec;

import com.google.protobuf.ByteString;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.QueryResult;
import io.tessel.proto.Query.Row;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.sql.Token;
import io.tessel.vtgate.sql.Token.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The system variables vtgate answers itself, and the parsing of SET statements: vtgate keeps
 * {@code autocommit}, {@code workload}, {@code transaction_mode}, {@code sql_select_limit}, the connection
 * character set variables, and a few client-side timeouts that have no meaning behind a proxy; other
 * variables go to MySQL through reserved connections ({@link ReservedSettings}). {@code SELECT @@a, @@b ...} is answered here for the variables vtgate owns; the rest are
 * fetched from a tablet in one query and merged in. Stateless apart from its fixed settings.
 */
final class SystemVariables {
    /** Variables whose SET is accepted and remembered but changes nothing behind the proxy. */
    private static final Set<String> NO_OP = Set.of("net_write_timeout", "net_read_timeout", "wait_timeout",
            "interactive_timeout", "session_track_schema", "session_track_state_change",
            "session_track_system_variables", "session_track_transaction_info", "session_track_gtids",
            "lc_messages", "long_query_time", "sql_notes", "sql_quote_show_create", "net_buffer_length");
    private static final Set<String> CHARSET_VARS = Set.of("character_set_client", "character_set_connection",
            "character_set_results", "collation_connection");

    /**
     * One assignment of a SET statement: {@code name} in lower case, {@code @x} for a user variable;
     * {@code value} is the literal (null for SQL NULL, or when the right side is an expression),
     * {@code expression} the right side's SQL text when it is not a literal, {@code literalSql} the literal
     * as SQL (a number or keyword as written, a string quoted).
     */
    record Assignment(String name, String value, String expression, String literalSql) {
        /** A literal assignment of a string value (or NULL). */
        Assignment(String name, String value) {
            this(name, value, null, value == null ? "null" : quote(value));
        }

        boolean isLiteral() {
            return expression == null;
        }

        boolean isUserVariable() {
            return name.startsWith("@");
        }

        /** {@code SET x = DEFAULT}. */
        boolean isDefault() {
            return isLiteral() && "default".equalsIgnoreCase(literalSql);
        }
    }

    private final String serverVersion;
    private final int maxAllowedPacket;

    SystemVariables(String serverVersion, int maxAllowedPacket) {
        this.serverVersion = serverVersion;
        this.maxAllowedPacket = maxAllowedPacket;
    }

    /**
     * A cheap pre-check: only statements mentioning a variable, database()/schema() or last_insert_id() can be
     * answered here.
     */
    static boolean mayAnswer(String sql) {
        if (sql.indexOf('@') >= 0) {
            return true;
        }
        for (int i = sql.indexOf('('); i >= 0; i = sql.indexOf('(', i + 1)) { // no copy of the SQL per query
            if ((i >= 8 && sql.regionMatches(true, i - 8, "database", 0, 8))
                    || (i >= 6 && sql.regionMatches(true, i - 6, "schema", 0, 6))
                    || (i >= 14 && sql.regionMatches(true, i - 14, "last_insert_id", 0, 14))) {
                return true;
            }
        }
        return false;
    }

    /** The value vtgate owns for a variable, or empty when a tablet should answer. */
    Optional<String> owned(Session s, String name) {
        if (s.settings().containsKey(name.toLowerCase(Locale.ROOT))) {
            return Optional.empty(); // set on the session's reserved connections: they answer
        }
        String set = s.systemVariables().get(name);
        if (set != null || s.systemVariables().containsKey(name)) {
            return Optional.ofNullable(set).or(() -> Optional.of("\0NULL"));
        }
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "version" -> serverVersion;
            case "version_comment" -> "Tessel";
            case "autocommit" -> s.isAutocommit() ? "1" : "0";
            case "transaction_mode" -> s.transactionMode().name();
            case "workload" -> s.workload().name();
            case "sql_select_limit" -> s.sqlSelectLimit() == 0 ? "18446744073709551615"
                    : Long.toString(s.sqlSelectLimit());
            case "transaction_isolation", "tx_isolation" -> "REPEATABLE-READ";
            case "transaction_read_only", "tx_read_only" -> "0";
            case "character_set_client", "character_set_connection", "character_set_results" -> "utf8mb4";
            case "collation_connection" -> "utf8mb4_general_ci";
            case "max_allowed_packet" -> Integer.toString(maxAllowedPacket);
            case "license" -> "Apache-2.0";
            case "warning_count" -> Integer.toString(s.diagnostics().last().size());
            case "error_count" -> Long.toString(s.diagnostics().last().stream().filter(e -> e.level().equals("Error")).count());
            default -> null;
        });
    }

    /**
     * Answers {@code SELECT <@@var|database()> [[AS] alias], ... [LIMIT n]} when the statement has that
     * shape; {@code tablet} runs a SELECT of the variables vtgate does not own.
     */
    Optional<QueryResult> trySelect(Session s, String sql, List<Token> tokens, Function<String, QueryResult> tablet) {
        List<Item> items = parseSelectList(sql, tokens);
        if (items == null) {
            return Optional.empty();
        }
        List<String> remote = new ArrayList<>();
        String[] values = new String[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            Optional<String> v = switch (it.function()) {
                case "database" -> Optional.of(s.targetString().isEmpty() ? "\0NULL"
                        : TargetString.parse(s.targetString(), null).keyspace());
                case "last_insert_id" -> Optional.of(Long.toUnsignedString(s.lastInsertId()));
                default -> owned(s, it.variable());
            };
            if (v.isPresent()) {
                values[i] = v.get();
            } else {
                remote.add(it.expression());
            }
        }
        QueryResult fromTablet = remote.isEmpty() ? null : tablet.apply("select " + String.join(", ", remote));
        return Optional.of(build(items, values, fromTablet));
    }

    /** One select item: a system variable, or a function vtgate answers ("database", "last_insert_id"; "" for none). */
    private record Item(String expression, String variable, String name, String function) {}

    private static List<Item> parseSelectList(String sql, List<Token> t) {
        if (!t.get(0).is("select")) {
            return null;
        }
        List<Item> items = new ArrayList<>();
        int i = 1;
        while (true) {
            Token tok = t.get(i);
            Item item;
            if (tok.kind() == Kind.SYSTEM_VAR) {
                String var = tok.text();
                int dot = var.indexOf('.');
                String scope = dot < 0 ? "" : var.substring(0, dot).toLowerCase(Locale.ROOT);
                if (dot >= 0 && !scope.equals("session") && !scope.equals("local") && !scope.equals("global")) {
                    return null;
                }
                String expr = sql.substring(tok.start(), tok.end());
                item = new Item(expr, dot < 0 ? var : var.substring(dot + 1), expr, "");
                i++;
            } else if ((tok.is("database") || tok.is("schema") || tok.is("last_insert_id"))
                    && t.get(i + 1).isPunct("(") && t.get(i + 2).isPunct(")")) {
                String expr = sql.substring(tok.start(), t.get(i + 2).end());
                item = new Item(expr, null, expr, tok.is("last_insert_id") ? "last_insert_id" : "database");
                i += 3;
            } else {
                return null;
            }
            if (t.get(i).is("as")) {
                i++;
            }
            Token alias = t.get(i);
            if (alias.kind() == Kind.QUOTED_IDENT || alias.kind() == Kind.STRING
                    || (alias.kind() == Kind.IDENT && !alias.is("limit") && !alias.is("from"))) {
                item = new Item(item.expression(), item.variable(), alias.text(), item.function());
                i++;
            }
            items.add(item);
            if (t.get(i).isPunct(",")) {
                i++;
                continue;
            }
            if (t.get(i).is("limit") && t.get(i + 1).kind() == Kind.NUMBER) {
                i += 2;
            }
            return t.get(i).kind() == Kind.EOF ? items : null;
        }
    }

    private static QueryResult build(List<Item> items, String[] values, QueryResult fromTablet) {
        QueryResult.Builder r = QueryResult.newBuilder();
        Row.Builder row = Row.newBuilder();
        ByteString.Output out = ByteString.newOutput();
        int remoteIndex = 0;
        List<Long> remoteLengths = new ArrayList<>();
        int remoteOffset = 0;
        if (fromTablet != null && fromTablet.getRowsCount() > 0) {
            remoteLengths = fromTablet.getRows(0).getLengthsList();
        }
        for (int i = 0; i < items.size(); i++) {
            Field.Builder f = Field.newBuilder().setName(items.get(i).name());
            byte[] value;
            if (values[i] != null) {
                value = "\0NULL".equals(values[i]) ? null : values[i].getBytes(StandardCharsets.UTF_8);
                boolean isId = items.get(i).function().equals("last_insert_id");
                f.setType(isId ? Type.UINT64 : value != null && isInteger(values[i]) ? Type.INT64 : Type.VARCHAR)
                        .setColumnLength(isId ? 20 : 1024);
            } else {
                Field remote = fromTablet.getFields(remoteIndex);
                f.setType(remote.getType()).setCharset(remote.getCharset()).setColumnLength(remote.getColumnLength())
                        .setFlags(remote.getFlags()).setDecimals(remote.getDecimals());
                long len = remoteLengths.isEmpty() ? -1 : remoteLengths.get(remoteIndex);
                value = len < 0 ? null : fromTablet.getRows(0).getValues()
                        .substring(remoteOffset, remoteOffset + (int) len).toByteArray();
                remoteOffset += (int) Math.max(len, 0);
                remoteIndex++;
            }
            r.addFields(f);
            row.addLengths(value == null ? -1 : value.length);
            if (value != null) {
                out.write(value, 0, value.length);
            }
        }
        return r.addRows(row.setValues(out.toByteString())).build();
    }

    private static boolean isInteger(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isDigit(c) || (i == 0 && c == '-' && s.length() > 1))) {
                return false;
            }
        }
        return true;
    }

    /** Parses the assignments of a SET statement; throws UNIMPLEMENTED for what vtgate cannot honour. */
    static List<Assignment> parseSet(String sql, List<Token> t) {
        List<Assignment> out = new ArrayList<>();
        int i = 1;
        while (true) {
            Token tok = t.get(i);
            if (tok.is("names")) {
                String cs = t.get(i + 1).text();
                i += 2;
                out.add(new Assignment("character_set_client", cs));
                out.add(new Assignment("character_set_connection", cs));
                out.add(new Assignment("character_set_results", cs));
                if (t.get(i).is("collate")) {
                    out.add(new Assignment("collation_connection", t.get(i + 1).text()));
                    i += 2;
                }
            } else if (tok.is("global") || tok.is("transaction") || t.get(i + 1).is("transaction")
                    || (tok.kind() == Kind.SYSTEM_VAR && tok.text().toLowerCase(Locale.ROOT).startsWith("global."))) {
                throw unsupported(tok.is("global") || tok.text().toLowerCase(Locale.ROOT).startsWith("global.")
                        ? "SET GLOBAL" : "SET TRANSACTION");
            } else {
                if (tok.is("session") || tok.is("local")) {
                    i++;
                    tok = t.get(i);
                }
                String name = tok.kind() == Kind.USER_VAR ? "@" + tok.text() : tok.text();
                int dot = name.indexOf('.');
                if (tok.kind() == Kind.SYSTEM_VAR && dot >= 0) {
                    name = name.substring(dot + 1);
                }
                if (!(t.get(i + 1).isPunct("=") || t.get(i + 1).isPunct(":="))) {
                    throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR,
                            "syntax error in SET near '" + t.get(i + 1).text() + "'");
                }
                int end = expressionEnd(t, i + 2);
                if (end == i + 2) {
                    throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR,
                            "syntax error in SET: no value for '" + name + "'");
                }
                Token value = t.get(i + 2);
                String lower = name.toLowerCase(Locale.ROOT);
                if (end == i + 3 && value.kind() != Kind.PUNCT) {
                    boolean isNull = value.is("null");
                    String literal = isNull ? "null" : value.kind() == Kind.STRING ? quote(value.text())
                            : sql.substring(value.start(), value.end());
                    out.add(new Assignment(lower, isNull ? null : value.text(), null, literal));
                } else {
                    out.add(new Assignment(lower, null, sql.substring(value.start(), t.get(end - 1).end()), null));
                }
                i = end;
            }
            if (t.get(i).isPunct(",")) {
                i++;
                continue;
            }
            if (t.get(i).kind() != Kind.EOF) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR,
                        "syntax error in SET near '" + t.get(i).text() + "'");
            }
            return out;
        }
    }

    /** The index just past an expression starting at {@code i}: the next ',' at depth 0, or EOF. */
    private static int expressionEnd(List<Token> t, int i) {
        int depth = 0;
        while (t.get(i).kind() != Kind.EOF) {
            Token tok = t.get(i);
            if (tok.isPunct("(")) {
                depth++;
            } else if (tok.isPunct(")")) {
                depth--;
            } else if (tok.isPunct(",") && depth == 0) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Whether vtgate keeps the variable itself: the connection character set variables and the no-op ones. */
    static boolean isKept(Assignment a) {
        return CHARSET_VARS.contains(a.name()) || NO_OP.contains(a.name());
    }

    /**
     * Applies one assignment of a variable vtgate keeps ({@link #isKept}); an expression is evaluated by
     * {@code tablet}.
     */
    static void apply(Session s, Assignment a, Function<String, QueryResult> tablet) {
        if (a.isLiteral()) {
            s.systemVariables().put(a.name(), a.value());
            return;
        }
        s.systemVariables().put(a.name(), cell(tablet.apply("select " + a.expression()), 0));
    }

    /**
     * The value of a SET's right side and the variable's current value in the session, both as a tablet
     * reports them: {@code select <value>, @@session.<name>} (which also checks the variable exists).
     */
    static String[] wantedAndCurrent(Assignment a, Function<String, QueryResult> tablet) {
        String value = a.isLiteral() ? (a.value() == null ? "null" : quote(a.value())) : a.expression();
        QueryResult r = tablet.apply("select " + value + ", @@session." + a.name());
        return new String[] {cell(r, 0), cell(r, 1)};
    }

    static String quote(String literal) {
        return "'" + literal.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    static String cell(QueryResult r, int column) {
        Row row = r.getRows(0);
        int offset = 0;
        for (int i = 0; i < column; i++) {
            offset += (int) Math.max(0, row.getLengths(i));
        }
        long len = row.getLengths(column);
        return len < 0 ? null : row.getValues().substring(offset, offset + (int) len).toStringUtf8();
    }

    /** Compares settings as MySQL stores them: sets of flags for sql_mode, ON/OFF as 1/0, ignoring case. */
    static boolean sameSetting(String name, String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (name.equals("sql_mode")) {
            return new java.util.TreeSet<>(List.of(a.toUpperCase(Locale.ROOT).split(",")))
                    .equals(new java.util.TreeSet<>(List.of(b.toUpperCase(Locale.ROOT).split(","))));
        }
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String v) {
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "ON", "TRUE" -> "1";
            case "OFF", "FALSE" -> "0";
            default -> v.toUpperCase(Locale.ROOT);
        };
    }

    static VtException unsupported(String what) {
        return VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_NOT_SUPPORTED_YET,
                "unsupported: " + what + " is not supported by this version of Tessel");
    }
}
