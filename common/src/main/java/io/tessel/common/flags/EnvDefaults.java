package io.tessel.common.flags;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values for a daemon's flags from the environment, then from a config file: {@code --mysql-port}
 * is read from {@code MYSQL_PORT}, else from the file's {@code mysql-port}. A flag on the command line
 * wins; the option's own default applies when neither has it (see {@link FlagFiles}). Immutable.
 */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
    private final Function<String, String> env;
    private final Map<String, String> file;

    public EnvDefaults() {
        this(System::getenv);
    }

    /** @param env looks a variable up; tests pass a map's {@code get} */
    public EnvDefaults(Function<String, String> env) {
        this(env, Map.of());
    }

    /** @param file values from the config file, by long flag name ({@code --grpc-port}) */
    public EnvDefaults(Function<String, String> env, Map<String, String> file) {
        this.env = env;
        this.file = Map.copyOf(file);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option && option.longestName().startsWith("--")) {
            String value = env.apply(envName(option.longestName()));
            return value != null ? value : file.get(option.longestName());
        }
        return null;
    }

    /** The variable for a flag: {@code --topo-global-root} → {@code TOPO_GLOBAL_ROOT}. */
    public static String envName(String flag) {
        return flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
