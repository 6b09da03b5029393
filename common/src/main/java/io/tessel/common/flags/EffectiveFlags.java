package io.tessel.common.flags;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The values a daemon's flags ended up with (from the command line, the environment, the config file or
 * the default), for {@code /debug/status}. Secrets are masked: a flag whose name says password, secret,
 * token or credential shows {@value #MASK} when set and nothing when empty, and the password of a URL
 * ({@code mysql://user:pw@host}) in any flag shows as {@value #MASK}. Stateless.
 */
public final class EffectiveFlags {
    /** What a set secret shows. */
    public static final String MASK = "****";
    private static final Pattern SECRET = Pattern.compile("(?i)passw(or)?d|secret|token|credential");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^@/\\s]*@");

    private EffectiveFlags() {}

    /** Every option of {@code spec} but help and version, by its longest name in declaration order. */
    public static Map<String, String> of(CommandSpec spec) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            flags.put(option.longestName(), show(option.longestName(), option.getValue()));
        }
        return flags;
    }

    /** Whether a flag holds a secret, by its name. */
    public static boolean isSecret(String name) {
        return SECRET.matcher(name).find();
    }

    /** A flag's value as text, masked when the flag is a secret. */
    static String show(String name, Object value) {
        String text = value == null ? ""
                : value instanceof Collection<?> c ? c.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(value);
        if (isSecret(name) && !text.isEmpty()) {
            return MASK;
        }
        return URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "@");
    }
}
