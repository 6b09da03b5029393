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
 * The system variables vtgate answers itself, and the SET statements it takes: {@code autocommit},
 * the connection character set variables, and a few client-side timeouts that have no meaning behind a
 * proxy. {@code SELECT @@a, @@b ...} is answered here for the variables vtgate owns; the rest are
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

    /** One assignment of a SET statement; {@code value} is null for SQL NULL. */
    record Assignment(String name, String value) {}

    private final String serverVersion;
    private final int maxAllowedPacket;

    SystemVariables(String serverVersion, int maxAllowedPacket) {
        this.serverVersion = serverVersion;
        this.maxAllowedPacket = maxAllowedPacket;
    }

    /** The value vtgate owns for a variable, or empty when a tablet should answer. */
    Optional<String> owned(Session s, String name) {
        String set = s.systemVariables().get(name);
        if (set != null || s.systemVariables().containsKey(name)) {
            return Optional.ofNullable(set).or(() -> Optional.of("\0NULL"));
        }
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "version" -> serverVersion;
            case "version_comment" -> "Tessel";
            case "autocommit" -> s.isAutocommit() ? "1" : "0";
            case "transaction_isolation", "tx_isolation" -> "REPEATABLE-READ";
            case "transaction_read_only", "tx_read_only" -> "0";
            case "character_set_client", "character_set_connection", "character_set_results" -> "utf8mb4";
            case "collation_connection" -> "utf8mb4_general_ci";
            case "max_allowed_packet" -> Integer.toString(maxAllowedPacket);
            case "license" -> "Apache-2.0";
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
            Optional<String> v = it.isDatabase()
                    ? Optional.of(s.targetString().isEmpty() ? "\0NULL" : TargetString.parse(s.targetString(), null).keyspace())
                    : owned(s, it.variable());
            if (v.isPresent()) {
                values[i] = v.get();
            } else {
                remote.add(it.expression());
            }
        }
        QueryResult fromTablet = remote.isEmpty() ? null : tablet.apply("select " + String.join(", ", remote));
        return Optional.of(build(items, values, fromTablet));
    }

    private record Item(String expression, String variable, String name, boolean isDatabase) {}

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
                item = new Item(expr, dot < 0 ? var : var.substring(dot + 1), expr, false);
                i++;
            } else if ((tok.is("database") || tok.is("schema")) && t.get(i + 1).isPunct("(") && t.get(i + 2).isPunct(")")) {
                String expr = sql.substring(tok.start(), t.get(i + 2).end());
                item = new Item(expr, null, expr, true);
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
                item = new Item(item.expression(), item.variable(), alias.text(), item.isDatabase());
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
                f.setType(value != null && isInteger(values[i]) ? Type.INT64 : Type.VARCHAR).setColumnLength(1024);
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
    static List<Assignment> parseSet(List<Token> t) {
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
                if (tok.kind() == Kind.USER_VAR) {
                    throw unsupported("user variables (SET @" + tok.text() + ")");
                }
                String name = tok.text();
                int dot = name.indexOf('.');
                if (tok.kind() == Kind.SYSTEM_VAR && dot >= 0) {
                    name = name.substring(dot + 1);
                }
                if (!(t.get(i + 1).isPunct("=") || t.get(i + 1).isPunct(":="))) {
                    throw VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR,
                            "syntax error in SET near '" + t.get(i + 1).text() + "'");
                }
                Token value = t.get(i + 2);
                boolean simple = value.kind() != Kind.PUNCT && value.kind() != Kind.EOF
                        && (t.get(i + 3).isPunct(",") || t.get(i + 3).kind() == Kind.EOF);
                if (!simple) {
                    throw unsupported("SET " + name + " to an expression");
                }
                out.add(new Assignment(name.toLowerCase(Locale.ROOT), value.is("null") ? null : value.text()));
                i += 3;
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

    /** Applies one non-autocommit assignment to the session; throws for variables vtgate cannot honour yet. */
    static void apply(Session s, Assignment a) {
        if (CHARSET_VARS.contains(a.name()) || NO_OP.contains(a.name())) {
            s.systemVariables().put(a.name(), a.value());
            return;
        }
        throw unsupported("SET of system variable '" + a.name() + "'");
    }

    static VtException unsupported(String what) {
        return VtException.of(ErrorCode.UNIMPLEMENTED, SqlError.ER_NOT_SUPPORTED_YET,
                "unsupported: " + what + " is not supported by this version of Tessel");
    }
}
