package io.tessel.common.flags;

import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values for a daemon's flags from the environment: {@code --mysql-port} is read from
 * {@code MYSQL_PORT}. A flag on the command line wins; the option's own default applies when the
 * variable is unset. Stateless apart from its lookup function.
 */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
    private final Function<String, String> env;

    public EnvDefaults() {
        this(System::getenv);
    }

    /** @param env looks a variable up; tests pass a map's {@code get} */
    public EnvDefaults(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option && option.longestName().startsWith("--")) {
            return env.apply(envName(option.longestName()));
        }
        return null;
    }

    /** The variable for a flag: {@code --topo-global-root} → {@code TOPO_GLOBAL_ROOT}. */
    public static String envName(String flag) {
        return flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
