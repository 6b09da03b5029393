package io.tessel.vtcombo.ops;

import io.tessel.common.flags.EnvDefaults;
import io.tessel.vtctld.VtCtld;
import io.tessel.vtgate.VtGateDaemon;
import io.tessel.vttablet.VtTablet;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags one Tessel daemon accepts, read from its picocli {@code @Option} annotations by reflection
 * (without initializing the class), plus the operations contract flags (docs/operations.md) the manifests
 * rely on. A contract flag the daemon already declares must keep the contract's default.
 *
 * @param component    the daemon's name, also its image name ({@code tessel/<component>})
 * @param mainClass    the daemon's main class
 * @param defaults     every accepted flag name to its default value (null when it has none)
 * @param contract     the contract flags this daemon is expected to accept, with their defaults
 */
record DaemonFlags(String component, Class<?> mainClass, Map<String, String> defaults, Map<String, String> contract) {
    /** Flags on which a daemon listens; every other {@code *-port} flag is a port it connects to. */
    static final Set<String> LISTEN_PORT_FLAGS = Set.of("--port", "--grpc-port", "--http-port");
    /** The HTTP port flag of the contract: /healthz, /readyz and /metrics are served there. */
    static final String HTTP_PORT = "--http-port";

    private static final String NO_DEFAULT = "__no_default_value__";

    /** The three daemons by component, with the contract's HTTP port defaults (Vitess's numbers). */
    static final Map<String, DaemonFlags> ALL = Map.of(
            "vtgate", of("vtgate", VtGateDaemon.class, Map.of(HTTP_PORT, "15001")),
            "vttablet", of("vttablet", VtTablet.class, Map.of(HTTP_PORT, "15100")),
            "vtctld", of("vtctld", VtCtld.class, Map.of(HTTP_PORT, "15000")));

    static DaemonFlags of(String component, Class<?> mainClass, Map<String, String> contract) {
        Map<String, String> defaults = new LinkedHashMap<>();
        collect(mainClass, defaults);
        Command command = mainClass.getAnnotation(Command.class);
        if (command != null && command.mixinStandardHelpOptions()) {
            for (String flag : List.of("--help", "-h", "--version", "-V")) {
                defaults.put(flag, null);
            }
        }
        contract.forEach(defaults::putIfAbsent);
        return new DaemonFlags(component, mainClass, Collections.unmodifiableMap(defaults), contract);
    }

    private static void collect(Class<?> type, Map<String, String> defaults) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            List<AnnotatedElement> members = new ArrayList<>(List.of(c.getDeclaredFields()));
            members.addAll(List.of(c.getDeclaredMethods()));
            for (AnnotatedElement member : members) {
                Option option = member.getAnnotation(Option.class);
                if (option != null) {
                    String value = NO_DEFAULT.equals(option.defaultValue()) ? null : option.defaultValue();
                    for (String name : option.names()) {
                        defaults.put(name, value);
                    }
                }
                if (member instanceof Field f && (f.isAnnotationPresent(Mixin.class) || f.isAnnotationPresent(ArgGroup.class))) {
                    collect(f.getType(), defaults);
                }
            }
        }
    }

    /** The daemon of an image reference such as {@code tessel/vtgate:dev}; null for other images. */
    static DaemonFlags forImage(String image) {
        String component = component(image);
        return component == null ? null : ALL.get(component);
    }

    /** The component of a Tessel image reference, or null for any other image. */
    static String component(String image) {
        String repo = image.split("[@]")[0];
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/')) {
            repo = repo.substring(0, colon);
        }
        int slash = repo.lastIndexOf('/');
        if (slash < 0 || !repo.substring(0, slash).endsWith("tessel")) {
            return null;
        }
        return repo.substring(slash + 1);
    }

    boolean accepts(String flag) {
        return defaults.containsKey(flag);
    }

    /** Names of the environment variables the daemon reads its flags from (EnvDefaults). */
    Set<String> envNames() {
        Set<String> names = new TreeSet<>();
        for (String flag : defaults.keySet()) {
            if (flag.startsWith("--")) {
                names.add(EnvDefaults.envName(flag));
            }
        }
        return names;
    }

    /**
     * The ports the daemon listens on with these flag values, by flag: a flag given wins, else its default.
     *
     * @throws IllegalArgumentException if a port value is not a number
     */
    Map<String, Integer> listenPorts(Map<String, String> given) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String flag : LISTEN_PORT_FLAGS) {
            if (accepts(flag)) {
                String value = given.getOrDefault(flag, defaults.get(flag));
                if (value == null) {
                    throw new IllegalArgumentException(component + " " + flag + " has no value and no default");
                }
                ports.put(flag, Integer.parseInt(value.trim()));
            }
        }
        return ports;
    }

    /**
     * Flags in {@code --name=value} form parsed into a map; problems (not a flag, no {@code =}, unknown or
     * repeated flag) are added to {@code problems} prefixed by {@code where}.
     */
    Map<String, String> parseArgs(List<String> args, String where, List<String> problems) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                problems.add(where + ": argument '" + arg + "' is not in --flag=value form");
                continue;
            }
            String name = arg.substring(0, eq);
            if (!accepts(name)) {
                problems.add(where + ": " + component + " has no flag " + name + " (" + mainClass.getSimpleName() + ")");
            }
            if (flags.put(name, arg.substring(eq + 1)) != null) {
                problems.add(where + ": flag " + name + " given twice");
            }
        }
        return flags;
    }

    /** A contract flag the daemon declares with a default other than the contract's. */
    List<String> contractDrift() {
        List<String> problems = new ArrayList<>();
        Map<String, String> declared = new LinkedHashMap<>();
        collect(mainClass, declared);
        contract.forEach((flag, value) -> {
            if (declared.containsKey(flag) && !value.equals(declared.get(flag))) {
                problems.add(component + " declares " + flag + " with default " + declared.get(flag)
                        + "; docs/operations.md and the manifests assume " + value);
            }
        });
        return problems;
    }
}
