package io.tessel.vtgate.sql;

/**
 * The few MySQL keywords the {@link Normalizer} must recognise to know where a literal stands. A word is
 * looked up without allocating: its letters are packed into a {@code long} (5 bits each) and probed in a
 * small open-addressing table.
 *
 * <p>Only reserved words may start an expression ({@link #isExpressionStart}): a non-reserved word can be
 * a column name ({@code select status - 1}), and a literal after a column name must not be folded or
 * converted. {@code OFFSET}, not reserved, counts only inside a LIMIT clause.
 */
enum SqlKeyword {
    // reserved words after which an expression (so a literal, or a unary minus) may follow
    SELECT(Flag.EXPRESSION | Flag.STATEMENT), WHERE(Flag.EXPRESSION), AND(Flag.EXPRESSION), OR(Flag.EXPRESSION),
    NOT(Flag.EXPRESSION), XOR(Flag.EXPRESSION), LIKE(Flag.EXPRESSION), REGEXP(Flag.EXPRESSION),
    RLIKE(Flag.EXPRESSION), THEN(Flag.EXPRESSION), ELSE(Flag.EXPRESSION), WHEN(Flag.EXPRESSION),
    CASE(Flag.EXPRESSION), BETWEEN(Flag.EXPRESSION), ON(Flag.EXPRESSION), DIV(Flag.EXPRESSION),
    MOD(Flag.EXPRESSION), DISTINCT(Flag.EXPRESSION), ALL(Flag.EXPRESSION), IN(Flag.EXPRESSION),
    INTERVAL(Flag.EXPRESSION), HAVING(Flag.EXPRESSION | Flag.ENDS_ORDER_BY),
    LIMIT(Flag.EXPRESSION | Flag.ENDS_ORDER_BY), BY(Flag.EXPRESSION),
    OFFSET(0), ORDER(Flag.ENDS_ORDER_BY), GROUP(0),
    // words that end an ORDER BY / GROUP BY list at the same parenthesis depth
    WINDOW(Flag.ENDS_ORDER_BY), UNION(Flag.ENDS_ORDER_BY), EXCEPT(Flag.ENDS_ORDER_BY),
    INTERSECT(Flag.ENDS_ORDER_BY), FOR(Flag.ENDS_ORDER_BY), INTO(Flag.ENDS_ORDER_BY), LOCK(Flag.ENDS_ORDER_BY),
    ROWS(Flag.ENDS_ORDER_BY), RANGE(Flag.ENDS_ORDER_BY), SEPARATOR(Flag.ENDS_ORDER_BY),
    // the other first words of a statement the normalizer rewrites
    INSERT(Flag.STATEMENT), REPLACE(Flag.STATEMENT), UPDATE(Flag.STATEMENT), DELETE(Flag.STATEMENT),
    WITH(Flag.STATEMENT), VALUES(Flag.STATEMENT),
    // type names whose parenthesised numbers are a length or precision: CAST(x AS CHAR(10))
    CHAR(Flag.TYPE), CHARACTER(Flag.TYPE), VARCHAR(Flag.TYPE), NCHAR(Flag.TYPE), NVARCHAR(Flag.TYPE),
    BINARY(Flag.TYPE), VARBINARY(Flag.TYPE), DECIMAL(Flag.TYPE), DEC(Flag.TYPE), NUMERIC(Flag.TYPE),
    FIXED(Flag.TYPE), FLOAT(Flag.TYPE), DOUBLE(Flag.TYPE), REAL(Flag.TYPE), DATETIME(Flag.TYPE), TIME(Flag.TYPE),
    TIMESTAMP(Flag.TYPE), BIT(Flag.TYPE), INT(Flag.TYPE), INTEGER(Flag.TYPE), TINYINT(Flag.TYPE),
    SMALLINT(Flag.TYPE), MEDIUMINT(Flag.TYPE), BIGINT(Flag.TYPE), YEAR(Flag.TYPE), VECTOR(Flag.TYPE);

    private static final class Flag {
        static final int EXPRESSION = 1;
        static final int ENDS_ORDER_BY = 2;
        static final int STATEMENT = 4;
        static final int TYPE = 8;
    }

    private static final int MAX_LENGTH = 12; // 12 letters of 5 bits fit in a long
    private static final int TABLE_SIZE = 256; // a power of two, well above 2x the entries
    private static final long[] KEYS = new long[TABLE_SIZE];
    private static final SqlKeyword[] VALUES_BY_SLOT = new SqlKeyword[TABLE_SIZE];

    static {
        for (SqlKeyword k : values()) {
            String name = k.name();
            long key = pack(name, 0, name.length());
            int slot = slot(key);
            while (KEYS[slot] != 0) {
                slot = (slot + 1) & (TABLE_SIZE - 1);
            }
            KEYS[slot] = key;
            VALUES_BY_SLOT[slot] = k;
        }
    }

    private final int flags;

    SqlKeyword(int flags) {
        this.flags = flags;
    }

    /** A literal or a unary minus may directly follow this word. */
    boolean isExpressionStart() {
        return (flags & Flag.EXPRESSION) != 0;
    }

    boolean endsOrderBy() {
        return (flags & Flag.ENDS_ORDER_BY) != 0;
    }

    /** The first word of a statement the normalizer rewrites (SELECT and DML). */
    boolean startsDml() {
        return (flags & Flag.STATEMENT) != 0;
    }

    /** A type name whose parenthesised numbers are a length or precision. */
    boolean isType() {
        return (flags & Flag.TYPE) != 0;
    }

    /** The keyword spelled by {@code s[start, end)} in any letter case, or null. */
    static SqlKeyword lookup(String s, int start, int end) {
        long key = pack(s, start, end);
        if (key == 0) {
            return null;
        }
        int slot = slot(key);
        while (KEYS[slot] != 0) {
            if (KEYS[slot] == key) {
                return VALUES_BY_SLOT[slot];
            }
            slot = (slot + 1) & (TABLE_SIZE - 1);
        }
        return null;
    }

    /** The letters (a-z, _) packed 5 bits each; 0 when the word is too long or holds anything else. */
    private static long pack(String s, int start, int end) {
        if (end - start > MAX_LENGTH) {
            return 0;
        }
        long key = 0;
        for (int i = start; i < end; i++) {
            int c = s.charAt(i) | 0x20; // ASCII lower case; '_' (0x5F) becomes 0x7F
            int code = c >= 'a' && c <= 'z' ? c - 'a' + 1 : c == 0x7F ? 27 : 0;
            if (code == 0) {
                return 0;
            }
            key = (key << 5) | code;
        }
        return key;
    }

    private static int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 56) & (TABLE_SIZE - 1);
    }
}
