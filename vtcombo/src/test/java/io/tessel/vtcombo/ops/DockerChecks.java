package io.tessel.vtcombo.ops;

import io.tessel.vtctld.Vtctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;

/**
 * Checks of docker/Dockerfile against the daemons (one target per daemon, its main class, exposed ports,
 * non-root user, a jlink'd JRE, files copied from the context) and of the init script's vtctl commands
 * against vtctl's. Each check returns its problems; none means it passed. Stateless.
 */
final class DockerChecks {
    private static final Pattern VTCTL_CALL = Pattern.compile("\\bvtctl\\s+([A-Z][A-Za-z]+)(.*)");

    private DockerChecks() {}

    /** A target stage per daemon: its entrypoint runs the daemon's main class, exposes its ports, runs as non-root. */
    static List<String> targets(Dockerfile dockerfile) {
        List<String> problems = new ArrayList<>();
        Optional<Dockerfile.Stage> jre = dockerfile.stages().stream()
                .filter(s -> s.all("RUN").stream().anyMatch(r -> r.rest().contains("jlink ") && r.rest().contains("--add-modules")))
                .findFirst();
        if (jre.isEmpty()) {
            problems.add("Dockerfile: no stage links a JRE with jlink --add-modules");
        }
        for (DaemonFlags daemon : DaemonFlags.ALL.values()) {
            Optional<Dockerfile.Stage> stage = dockerfile.stage(daemon.component());
            if (stage.isEmpty()) {
                problems.add("Dockerfile: no target stage " + daemon.component());
                continue;
            }
            target(dockerfile, stage.get(), daemon, jre, problems);
        }
        boolean builds = dockerfile.stages().stream().flatMap(s -> s.all("RUN").stream())
                .anyMatch(r -> r.rest().contains("mvn ") && r.rest().matches("(?s).*-pl\\s+vtgate,vttablet,vtctld\\b.*"));
        if (!builds) {
            problems.add("Dockerfile: no RUN builds the daemons with mvn -pl vtgate,vttablet,vtctld");
        }
        return problems;
    }

    private static void target(Dockerfile df, Dockerfile.Stage stage, DaemonFlags daemon, Optional<Dockerfile.Stage> jre,
            List<String> problems) {
        String where = "Dockerfile target " + daemon.component();
        List<String> entrypoint = df.effective(stage, "ENTRYPOINT").map(Dockerfile::execForm).orElse(List.of());
        if (entrypoint.isEmpty() || !entrypoint.get(entrypoint.size() - 1).equals(daemon.mainClass().getName())) {
            problems.add(where + ": ENTRYPOINT " + entrypoint + " does not end with " + daemon.mainClass().getName());
        }
        Set<Integer> exposed = new HashSet<>();
        stage.all("EXPOSE").forEach(e -> Arrays.stream(e.rest().split("\\s+")).map(p -> p.replace("/tcp", ""))
                .forEach(p -> exposed.add(Integer.parseInt(p))));
        Set<Integer> listen = new HashSet<>(daemon.listenPorts(Map.of()).values());
        if (!exposed.equals(listen)) {
            problems.add(where + ": EXPOSE " + exposed + " differs from the daemon's default listen ports " + listen);
        }
        String user = df.effective(stage, "USER").map(Dockerfile.Instruction::rest).orElse("root").split(":")[0];
        if (!user.matches("[1-9][0-9]*")) {
            problems.add(where + ": USER " + user + " is not a numeric non-root uid (runAsNonRoot needs one)");
        }
        boolean linked = jre.isPresent() && df.chain(stage).stream().flatMap(s -> s.all("COPY").stream())
                .anyMatch(c -> c.rest().startsWith("--from=" + jre.get().name() + " "));
        if (!linked) {
            problems.add(where + ": does not copy the jlink'd JRE");
        }
    }

    /**
     * Files the Dockerfile copies from the context exist and are not excluded by its .dockerignore; ENV sets
     * no variable a daemon reads a flag from.
     */
    static List<String> contextAndEnv(Dockerfile dockerfile, Path root, List<String> ignore) {
        List<String> problems = new ArrayList<>();
        Set<String> flagEnv = new HashSet<>();
        DaemonFlags.ALL.values().forEach(d -> flagEnv.addAll(d.envNames()));
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            for (Dockerfile.Instruction copy : stage.all("COPY")) {
                List<String> words = Arrays.stream(copy.rest().split("\\s+")).toList();
                if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                    continue;
                }
                List<String> sources = words.stream().filter(w -> !w.startsWith("--")).toList();
                for (String source : sources.subList(0, sources.size() - 1)) {
                    if (!Files.exists(root.resolve(source))) {
                        problems.add("Dockerfile: COPY source " + source + " does not exist");
                    } else if (!source.equals(".") && ignored(source, ignore)) {
                        problems.add("Dockerfile: COPY source " + source + " is excluded by the .dockerignore");
                    }
                }
            }
            for (Dockerfile.Instruction env : stage.all("ENV")) {
                for (String assignment : env.rest().split("\\s+")) {
                    String name = assignment.split("=")[0];
                    if (flagEnv.contains(name)) {
                        problems.add("Dockerfile: ENV " + name + " would set a daemon flag");
                    }
                }
            }
        }
        return problems;
    }

    /** Docker's .dockerignore rule: the last pattern matching the path or one of its parents decides; '!' re-includes. */
    static boolean ignored(String path, List<String> patterns) {
        boolean ignored = false;
        for (String raw : patterns) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean include = line.startsWith("!");
            String glob = include ? line.substring(1) : line;
            String regex = glob.replace(".", "\\.").replace("**/", "\0").replace("*", "[^/]*").replace("\0", "(.*/)?");
            if (path.matches(regex + "(/.*)?")) {
                ignored = !include;
            }
        }
        return ignored;
    }

    /** Every vtctl call of the init script names a vtctl command and only its options. */
    static List<String> initScript(Path script) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, DaemonFlags> commands = new HashMap<>();
        for (Class<?> sub : Vtctl.class.getAnnotation(Command.class).subcommands()) {
            String name = sub.getAnnotation(Command.class).name();
            commands.put(name, DaemonFlags.of(name, sub, Map.of()));
        }
        DaemonFlags top = DaemonFlags.of("vtctl", Vtctl.class, Map.of());
        Set<String> used = new HashSet<>();
        for (String line : Files.readAllLines(script)) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            if (line.contains("vtctl()")) {
                flagsOf(line).stream().filter(f -> !top.accepts(f))
                        .forEach(f -> problems.add(script.getFileName() + ": vtctl has no option " + f));
            }
            Matcher m = VTCTL_CALL.matcher(line);
            if (m.find()) {
                DaemonFlags command = commands.get(m.group(1));
                used.add(m.group(1));
                if (command == null) {
                    problems.add(script.getFileName() + ": vtctl has no command " + m.group(1));
                    continue;
                }
                flagsOf(m.group(2)).stream().filter(f -> !command.accepts(f))
                        .forEach(f -> problems.add(script.getFileName() + ": vtctl " + m.group(1) + " has no option " + f));
            }
        }
        if (!used.contains("ApplyVSchema")) {
            problems.add(script.getFileName() + ": never calls vtctl ApplyVSchema");
        }
        return problems;
    }

    private static List<String> flagsOf(String text) {
        return Arrays.stream(text.split("\\s+")).map(w -> w.replace("\"", "")).filter(w -> w.startsWith("--"))
                .map(w -> w.split("=")[0]).toList();
    }
}
