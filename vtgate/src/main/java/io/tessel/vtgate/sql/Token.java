package io.tessel.vtgate.sql;

/**
 * One lexical token of a SQL statement. {@code text} is the token's value: identifiers unquoted,
 * strings unescaped, variables without their {@code @}/{@code @@} prefix.
 */
public record Token(Kind kind, String text, int start, int end) {
    public enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, SYSTEM_VAR, USER_VAR, PUNCT, EOF }

    /** True for a keyword or bare identifier equal to {@code word}, ignoring case. */
    public boolean is(String word) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(word);
    }

    public boolean isPunct(String p) {
        return kind == Kind.PUNCT && text.equals(p);
    }
}
