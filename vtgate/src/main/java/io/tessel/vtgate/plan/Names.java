package io.tessel.vtgate.plan;

import java.util.Locale;

/** Identifier helpers: backquotes removed, and MySQL's case rules for column names. Stateless. */
final class Names {
    private Names() {}

    /** {@code `a``b`} as {@code a`b}; an unquoted name as it is. */
    static String unquote(String name) {
        if (name.length() >= 2 && name.charAt(0) == '`' && name.charAt(name.length() - 1) == '`') {
            return name.substring(1, name.length() - 1).replace("``", "`");
        }
        return name;
    }

    /** Column names compare case-insensitively in MySQL. */
    static String column(String name) {
        return unquote(name).toLowerCase(Locale.ROOT);
    }
}
