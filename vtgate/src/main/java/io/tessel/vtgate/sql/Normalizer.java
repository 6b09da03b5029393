package io.tessel.vtgate.sql;

import static io.tessel.vtgate.sql.LiteralText.isDigit;
import static io.tessel.vtgate.sql.LiteralText.isSpace;
import static io.tessel.vtgate.sql.LiteralText.isWordChar;
import static io.tessel.vtgate.sql.LiteralText.wordEnd;

import io.tessel.proto.Query.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the literals of a SELECT or DML statement into bind variables {@code :vtg1, :vtg2, ...}, so that
 * statements differing only in their values share one plan-cache entry. One pass over the characters, no
 * parser and no regex. The rules, and why, are in {@code docs/design/plan-cache.md}; in short:
 * <ul>
 *   <li>numbers become INT64 (UINT64 above Long.MAX_VALUE, DECIMAL past UINT64), DECIMAL ({@code 1.5}) or
 *       FLOAT64 ({@code 1e5}); strings VARCHAR (unescaped value, adjacent strings joined); {@code X'..'}
 *       HEXVAL, {@code 0x..} HEXNUM, {@code b'..'}/{@code 0b..} BITNUM (the literal text as value);</li>
 *   <li>a unary minus before a number joins the literal; equal literals share a variable, except values
 *       over 256 characters and LIMIT/OFFSET values;</li>
 *   <li>a literal converts only where an expression may start (after an operator, {@code (}, {@code ,},
 *       an expression keyword, or in a LIMIT clause); anywhere else (an alias {@code AS 'x'}, after an
 *       introducer {@code _utf8mb4'x'} or {@code DATE '..'}) it stays, as do literals at the level of an
 *       ORDER BY / GROUP BY list and numbers in type lengths such as {@code CHAR(10)};</li>
 *   <li>a {@code _binary} introducer before a hex or bit literal is dropped: such a literal is a binary string
 *       anyway, and the parser reads {@code X'..'} but not {@code _binary X'..'}, which MariaDB Connector/J
 *       writes for bytes;</li>
 *   <li>comments are dropped except {@code /*!..*}{@code /} and {@code /*+..*}{@code /} (kept verbatim);
 *       {@code /*vt+..*}{@code /} directives are read into the result; whitespace collapses to one space;
 *       trailing semicolons go.</li>
 * </ul>
 * Other statements, and input that does not scan (an unclosed quote or comment, a stray {@code )}), come
 * back unchanged without variables: the fast paths and the parser deal with them. Assumes the default
 * sql_mode (no ANSI_QUOTES, no NO_BACKSLASH_ESCAPES). Thread-safe: each call uses a private instance.
 */
public final class Normalizer {
    private static final int MAX_DEDUPE_LENGTH = 256;
    private static final int MAX_DEPTH = 63; // paren depths are bits of a long
    private static final RuntimeException MALFORMED = new RuntimeException("malformed", null, false, false) {};

    private final String sql;
    private final int n;
    private final StringBuilder out;
    private final BindVarTable vars = new BindVarTable();
    private Map<String, String> directives;

    private boolean isExpressionStart = true; // a literal here is a value in an expression
    private boolean isInLimit;                 // inside LIMIT n [, m | OFFSET m]
    private boolean isTypeWordBefore;          // the previous token names a type: CHAR, DECIMAL...
    private SqlKeyword keywordBefore;          // the previous token's keyword, if any
    private boolean hasPendingSpace;
    private boolean hasPendingSemicolon;
    private int depth;
    private long orderByDepths;   // bit d: an ORDER BY / GROUP BY list is open at depth d
    private long typeDepths;      // bit d: the parentheses at depth d hold a type's length
    private int nameEnd = -1;     // where the last name ended (a dot right there qualifies it)
    private int qualifiedAt = -1; // where a name after a qualifying dot starts

    private Normalizer(String sql) {
        this.sql = sql;
        this.n = sql.length();
        this.out = new StringBuilder(n + 16);
    }

    /** The normalized form of {@code sql}; never throws for bad SQL. */
    public static NormalizedQuery normalize(String sql) {
        Normalizer nz = new Normalizer(sql);
        try {
            int start = nz.statementStart();
            if (!isDml(sql, start)) {
                return NormalizedQuery.unchanged(sql, nz.directives());
            }
            if (sql.indexOf(":" + BindVarTable.PREFIX) >= 0) {
                nz.vars.reserveUsedNames(sql);
            }
            nz.run(start);
            return new NormalizedQuery(nz.out.toString(), nz.vars.bindVars(), nz.directives());
        } catch (RuntimeException e) {
            if (e != MALFORMED) {
                throw e;
            }
            return NormalizedQuery.unchanged(sql, Map.of());
        }
    }

    private Map<String, String> directives() {
        return directives == null ? Map.of() : Collections.unmodifiableMap(directives);
    }

    /** Skips leading space and comments (reading directives); the index of the first token. */
    private int statementStart() {
        int i = checked(SqlComments.skipPlain(sql, 0));
        while (i < n && SqlComments.isBlockComment(sql, i) && SqlComments.isDirective(sql, i)) {
            i = checked(SqlComments.skipPlain(sql, blockComment(i)));
        }
        return i;
    }

    private static boolean isDml(String sql, int start) {
        if (start < sql.length() && sql.charAt(start) == '(') {
            return true;
        }
        SqlKeyword first = SqlKeyword.lookup(sql, start, wordEnd(sql, start));
        return first != null && first.startsDml();
    }

    private void run(int i) {
        while (i < n) {
            char c = sql.charAt(i);
            if (isSpace(c)) {
                hasPendingSpace = true;
                i++;
            } else {
                i = token(i, c);
            }
        }
    }

    /** Handles the token (or comment) starting at {@code i}; returns the index just past it. */
    private int token(int i, char c) {
        return switch (c) {
            case '\'', '"' -> string(i);
            case '`' -> name(i, checked(LiteralText.quotedEnd(sql, i)));
            case '#' -> lineComment(i);
            case '/' -> slash(i);
            case '-' -> minus(i);
            case '(' -> open(i);
            case ')' -> close(i);
            case ',' -> punctuation(i, true, isInLimit);
            case ';' -> semicolon(i);
            case '@' -> verbatim(i, checked(LiteralText.variableEnd(sql, i)), false);
            case ':' -> colon(i);
            case '?' -> punctuation(i, false, isInLimit);
            case '.' -> dot(i);
            default -> isDigit(c) ? number(i) : isWordChar(c) ? word(i) : punctuation(i, true, false);
        };
    }

    /** Called once before each emitted token: flushes pending space and resets one-token state. */
    private void beforeToken(boolean isLimitPart) {
        isInLimit &= isLimitPart;
        isTypeWordBefore = false;
        keywordBefore = null;
        if (hasPendingSemicolon) {
            out.append(';');
            hasPendingSemicolon = false;
        }
        if (hasPendingSpace) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            hasPendingSpace = false;
        }
    }

    private int punctuation(int i, boolean isOperator, boolean isLimitPart) {
        beforeToken(isLimitPart);
        out.append(sql.charAt(i));
        isExpressionStart = isOperator;
        return i + 1;
    }

    /** Emits {@code sql[from, to)} as written: an operand, never the start of an expression. */
    private int verbatim(int from, int to, boolean isLimitPart) {
        beforeToken(isLimitPart);
        out.append(sql, from, to);
        isExpressionStart = false;
        return to;
    }

    private int name(int from, int to) {
        nameEnd = to;
        return verbatim(from, to, false);
    }

    /** True when a literal here may become a variable. */
    private boolean isConvertible(boolean isNumber) {
        long bit = 1L << depth;
        return isExpressionStart && (orderByDepths & bit) == 0 && !(isNumber && (typeDepths & bit) != 0);
    }

    /**
     * Emits the variable for the literal ending at {@code end} and returns {@code end}. A word right after the
     * literal ({@code 'x'and}) is set apart by a space, or it would read as part of the variable's name; so is
     * what comes right before it when the value put back would join it: a colon ({@code ::name} is a list
     * variable), a word or a dot ({@code x.5}), or a number's exponent sign ({@code 2.5e+/**}{@code /0}).
     */
    private int literal(Type type, String value, int end) {
        boolean isFresh = isInLimit || value.length() > MAX_DEDUPE_LENGTH;
        beforeToken(isInLimit);
        if (isGluedBefore()) {
            out.append(' ');
        }
        out.append(':').append(vars.add(type, value, !isFresh));
        isExpressionStart = false;
        hasPendingSpace = end < n && isWordChar(sql.charAt(end));
        return end;
    }

    private boolean isGluedBefore() {
        int k = out.length() - 1;
        if (k < 0) {
            return false;
        }
        char c = out.charAt(k);
        return c == ':' || c == '.' || isWordChar(c)
                || ((c == '+' || c == '-') && k > 0 && (out.charAt(k - 1) == 'e' || out.charAt(k - 1) == 'E'));
    }

    private static int checked(int end) {
        if (end < 0) {
            throw MALFORMED;
        }
        return end;
    }

    private int lineComment(int i) {
        hasPendingSpace = true;
        return SqlComments.lineEnd(sql, i);
    }

    /** Skips the plain or directive comment at {@code i} (reading a directive); returns its end. */
    private int blockComment(int i) {
        int end = readDirective(i);
        hasPendingSpace = true;
        return end;
    }

    /** Reads the block comment at {@code i} into the directives if it is one; returns its end. */
    private int readDirective(int i) {
        int end = checked(SqlComments.blockEnd(sql, i));
        if (SqlComments.isDirective(sql, i)) {
            if (directives == null) {
                directives = new LinkedHashMap<>();
            }
            CommentDirectives.parse(sql, i + CommentDirectives.PREAMBLE.length(), end - 2, directives);
        }
        return end;
    }

    private int slash(int i) {
        if (!SqlComments.isBlockComment(sql, i)) {
            return punctuation(i, true, false);
        }
        if (!SqlComments.isKept(sql, i)) {
            return blockComment(i);
        }
        // a version comment (executable SQL) or an optimizer hint: kept as written
        boolean isHint = sql.charAt(i + 2) == '+';
        boolean wasExpressionStart = isExpressionStart;
        SqlKeyword before = keywordBefore;
        int end = verbatim(i, checked(SqlComments.blockEnd(sql, i)), false);
        hasPendingSpace = true;
        if (isHint) { // a hint is a comment to the grammar: the next token sees what came before it
            isExpressionStart = wasExpressionStart;
            keywordBefore = before;
        }
        return end;
    }

    private int minus(int i) {
        if (SqlComments.isLineComment(sql, i)) {
            return lineComment(i);
        }
        if (i + 1 < n && sql.charAt(i + 1) == '>') { // JSON ->, ->>: the path after it stays a literal
            return verbatim(i, i + 2 < n && sql.charAt(i + 2) == '>' ? i + 3 : i + 2, false);
        }
        if (isConvertible(true)) { // a unary minus: join it to the number after it
            int j = checked(SqlComments.skipPlain(sql, i + 1)); // "- /* c */ 1" is -1 too
            NumberToken token = j < n && startsNumber(j) ? NumberToken.scan(sql, j) : null;
            String value = token != null && token.isSignable() ? token.value(sql, j, true) : "";
            if (value.startsWith("-")) { // not -0, whose value drops the sign: that minus stays an operator
                return literal(token.type(value), value, token.end());
            }
        }
        // a second minus right after one: "- -", as "--" would read as a comment before a space or the end
        hasPendingSpace |= !out.isEmpty() && out.charAt(out.length() - 1) == '-';
        return punctuation(i, true, false);
    }

    private int open(int i) {
        boolean isTypeLength = isTypeWordBefore;
        if (depth == MAX_DEPTH) {
            throw MALFORMED;
        }
        punctuation(i, true, false);
        long bit = 1L << ++depth;
        orderByDepths &= ~bit;
        typeDepths = isTypeLength ? typeDepths | bit : typeDepths & ~bit;
        return i + 1;
    }

    private int close(int i) {
        if (depth == 0) {
            throw MALFORMED;
        }
        punctuation(i, false, false);
        long bit = 1L << depth--;
        orderByDepths &= ~bit;
        typeDepths &= ~bit;
        return i + 1;
    }

    /** Ends a statement; the semicolon is written only if another statement follows. */
    private int semicolon(int i) {
        hasPendingSemicolon = true;
        hasPendingSpace = false;
        isInLimit = false;
        depth = 0;
        orderByDepths = 0;
        typeDepths = 0;
        isExpressionStart = true;
        return i + 1;
    }

    /** {@code :name} and {@code ::name} placeholders pass through; {@code :=} is an operator. */
    private int colon(int i) {
        int j = i + 1 < n && sql.charAt(i + 1) == ':' ? i + 2 : i + 1;
        if (j < n && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
            return verbatim(i, wordEnd(sql, j), isInLimit);
        }
        return punctuation(i, true, false);
    }

    private int dot(int i) {
        if (nameEnd == i) { // qualifies the name before it: t.col, `t`.1col
            qualifiedAt = i + 1;
            return punctuation(i, false, false);
        }
        return i + 1 < n && isDigit(sql.charAt(i + 1)) ? number(i) : punctuation(i, true, false);
    }

    /** A quoted string, joined with the strings right after it ('a' 'b' is 'ab' to MySQL). */
    private int string(int i) {
        int end = checked(LiteralText.quotedEnd(sql, i));
        if (!isConvertible(false)) {
            return verbatim(i, end, false);
        }
        String value = LiteralText.unescape(sql, i, end);
        for (int next = nextStringAfter(end); next >= 0; next = nextStringAfter(end)) {
            end = checked(LiteralText.quotedEnd(sql, next));
            value = value.concat(LiteralText.unescape(sql, next, end));
        }
        return literal(Type.VARCHAR, value, end);
    }

    /**
     * Where a string adjacent to {@code i} starts, or -1: across space and any comment but a version comment
     * (executable SQL). Directives are read on the way; an optimizer hint there is a plain comment to MySQL
     * (hints count only after the statement's verb), so the strings on both sides of it still join.
     */
    private int nextStringAfter(int i) {
        int j = checked(SqlComments.skipPlain(sql, i));
        while (j + 2 < n && SqlComments.isBlockComment(sql, j) && sql.charAt(j + 2) != '!') {
            j = checked(SqlComments.skipPlain(sql, readDirective(j)));
        }
        return j < n && (sql.charAt(j) == '\'' || sql.charAt(j) == '"') ? j : -1;
    }

    private int word(int i) {
        int end = wordEnd(sql, i);
        char c = sql.charAt(i);
        if (end == i + 1 && end < n && sql.charAt(end) == '\'' && "xXbB".indexOf(c) >= 0) {
            return quotedBits(i, c == 'b' || c == 'B');
        }
        int literal = binaryIntroducedBits(i, end);
        if (literal >= 0) { // _binary X'..': the literal is binary already; the parser cannot read the pair
            return literal;
        }
        SqlKeyword keyword = i == qualifiedAt ? null : SqlKeyword.lookup(sql, i, end);
        if (keyword == null) {
            return name(i, end);
        }
        SqlKeyword before = keywordBefore;
        boolean isLimitPart = keyword == SqlKeyword.LIMIT || (keyword == SqlKeyword.OFFSET && isInLimit);
        verbatim(i, end, isLimitPart);
        keyword(keyword, before, isLimitPart);
        if (!keyword.isExpressionStart()) {
            nameEnd = end; // a non-reserved keyword may name a table: year.x
        }
        return end;
    }

    private void keyword(SqlKeyword keyword, SqlKeyword before, boolean isLimitPart) {
        keywordBefore = keyword;
        long bit = 1L << depth;
        if (keyword.endsOrderBy()) {
            orderByDepths &= ~bit;
        }
        if (keyword == SqlKeyword.BY && (before == SqlKeyword.ORDER || before == SqlKeyword.GROUP)) {
            orderByDepths |= bit;
        }
        isInLimit = isLimitPart;
        isExpressionStart = keyword.isExpressionStart() || isLimitPart;
        isTypeWordBefore = keyword.isType();
    }

    /**
     * Where the hex or bit literal after a {@code _binary} introducer at {@code [i, end)} starts ({@code X'..'},
     * {@code 0x..}, {@code b'..'}), or -1 when the word is something else.
     */
    private int binaryIntroducedBits(int i, int end) {
        if (end - i != 7 || !sql.regionMatches(true, i, "_binary", 0, 7)) {
            return -1;
        }
        int j = checked(SqlComments.skipPlain(sql, end)); // comments go, so "_binary /* c */ X'0A'" is the pair too
        if (j + 7 <= n && sql.regionMatches(true, j, "_binary", 0, 7) && wordEnd(sql, j) == j + 7) {
            throw MALFORMED; // "_binary _binary 0x0A" is not SQL; dropping one would pair the other
        }
        boolean isQuoted = j + 1 < n && "xXbB".indexOf(sql.charAt(j)) >= 0 && sql.charAt(j + 1) == '\'';
        // 0x needs a digit after it and nothing word-like: "0x" alone or "0xg" is a name to MySQL
        boolean isHexNumber = j + 2 < n && sql.charAt(j) == '0' && (sql.charAt(j + 1) == 'x' || sql.charAt(j + 1) == 'X')
                && NumberToken.scan(sql, j).kind() == NumberToken.Kind.HEXNUM;
        return isQuoted || isHexNumber ? j : -1;
    }

    /**
     * {@code X'0A'} (HEXVAL) or {@code b'01'} (BITNUM), value as written. One that is not well formed does not
     * scan: MySQL's lexer rejects it, and where its quote ends is not clear (no escapes inside to MySQL, but a
     * tokenizer that reads it as a string sees {@code \'} as an escape), so the input stays unchanged.
     */
    private int quotedBits(int i, boolean isBinary) {
        int close = sql.indexOf('\'', i + 2);
        int end = checked(close) + 1;
        if (!LiteralText.isDigits(sql, i + 2, close, isBinary)) {
            throw MALFORMED;
        }
        if (!isConvertible(false)) {
            return verbatim(i, end, false);
        }
        return literal(isBinary ? Type.BITNUM : Type.HEXVAL, sql.substring(i, end), end);
    }

    private boolean startsNumber(int i) {
        char c = sql.charAt(i);
        return isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)));
    }

    private int number(int i) {
        if (i == qualifiedAt) { // t.1col names a column
            return name(i, wordEnd(sql, i));
        }
        NumberToken token = NumberToken.scan(sql, i);
        if (token.kind() == NumberToken.Kind.NAME) {
            return name(i, token.end());
        }
        if (token.kind() == NumberToken.Kind.VERBATIM || !isConvertible(true)) {
            return verbatim(i, token.end(), isInLimit);
        }
        String value = token.value(sql, i, false);
        return literal(token.type(value), value, token.end());
    }
}
