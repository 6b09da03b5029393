package io.tessel.common.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A daemon's command line with every flag also read from the environment and from a YAML file: precedence
 * is flag &gt; environment variable ({@code --grpc-port} from {@code GRPC_PORT}) &gt; the file named by
 * {@code --config} (or {@code CONFIG}) &gt; the option's default. The file is a flat map of flag names,
 * with or without the leading dashes ({@code grpc-port: 16100}); an unknown name, a nested value or an
 * unreadable file stops the daemon with a message naming it. Stateless.
 */
public final class FlagFiles {
    /** The flag naming the YAML file. */
    public static final String CONFIG_FLAG = "--config";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FlagFiles() {}

    /**
     * A CommandLine for {@code command} whose defaults come from the environment and the config file that
     * {@code args} (or the environment) names.
     *
     * @throws CommandLine.ParameterException naming the file or key when the file is unreadable or invalid
     */
    public static CommandLine commandLine(Object command, String[] args) {
        return commandLine(command, args, System::getenv);
    }

    /** As {@link #commandLine(Object, String[])} with an explicit environment (tests). */
    public static CommandLine commandLine(Object command, String[] args, Function<String, String> env) {
        CommandLine cmd = new CommandLine(command);
        String path = configPath(args, env);
        Map<String, String> file = path == null ? Map.of() : read(cmd, Path.of(path));
        cmd.setDefaultValueProvider(new EnvDefaults(env, file));
        return cmd;
    }

    /**
     * Parses and runs a daemon: {@link #commandLine} with case-insensitive enum values; a bad config file is
     * reported like a bad flag (message and exit code 2).
     */
    public static int execute(Object command, String[] args) {
        CommandLine cmd;
        try {
            cmd = commandLine(command, args);
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return cmd.setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    private static String configPath(String[] args, Function<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG_FLAG) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(CONFIG_FLAG + "=")) {
                return args[i].substring(CONFIG_FLAG.length() + 1);
            }
        }
        return env.apply(EnvDefaults.envName(CONFIG_FLAG));
    }

    /** The file's flag values by long flag name ({@code --grpc-port}); validated against the command's options. */
    static Map<String, String> read(CommandLine cmd, Path path) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(path));
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read config file " + path + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new CommandLine.ParameterException(cmd, "config file " + path + " must be a map of flag: value");
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            known.add(o.longestName());
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String flag = e.getKey().startsWith("--") ? e.getKey() : "--" + e.getKey();
            if (!known.contains(flag) || flag.equals(CONFIG_FLAG)) {
                unknown.add(e.getKey());
                continue;
            }
            out.put(flag, value(cmd, path, e.getKey(), e.getValue()));
        }
        if (!unknown.isEmpty()) {
            throw new CommandLine.ParameterException(cmd, "config file " + path + " has unknown flags " + unknown
                    + "; known: " + known);
        }
        return out;
    }

    private static String value(CommandLine cmd, Path path, String key, JsonNode node) {
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) { // a list flag: comma-separated, as the flags take them
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            return String.join(",", items);
        }
        throw new CommandLine.ParameterException(cmd, "config file " + path + ": '" + key + "' must be a value or a list");
    }
}
