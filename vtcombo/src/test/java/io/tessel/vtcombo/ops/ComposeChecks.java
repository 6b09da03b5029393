package io.tessel.vtcombo.ops;

import static io.tessel.vtcombo.ops.Tree.at;
import static io.tessel.vtcombo.ops.Tree.map;
import static io.tessel.vtcombo.ops.Tree.str;
import static io.tessel.vtcombo.ops.Tree.strings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks of docker/docker-compose.yml: Tessel services build their image from a target of docker/Dockerfile
 * (the same build wherever an image is named), pass only flags their daemon accepts, publish and probe the
 * ports those flags open, and reference existing services, files and volumes; the tablets and the init
 * step agree on keyspace and shards. Each check returns its problems; none means it passed. Stateless.
 *
 * @param compose    the parsed compose file
 * @param dir        the compose file's directory (relative paths start there)
 * @param dockerfile the parsed docker/Dockerfile
 */
record ComposeChecks(Map<String, Object> compose, Path dir, Dockerfile dockerfile) {
    private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final String HEALTHCHECK = "/opt/tessel/bin/healthcheck";

    Map<String, Object> services() {
        return map(compose.get("services"));
    }

    /** Every service's build, image, dependencies and volumes; daemon services' flags, ports and health checks. */
    List<String> all() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> buildByImage = new HashMap<>();
        services().forEach((name, node) -> {
            Map<String, Object> service = map(node);
            String where = "docker-compose.yml service " + name;
            image(where, service, buildByImage, problems);
            dependencies(where, service, problems);
            volumes(where, service, problems);
            DaemonFlags daemon = DaemonFlags.forImage(String.valueOf(service.get("image")));
            if (daemon != null && service.get("entrypoint") == null) {
                daemon(where, name, service, daemon, problems);
            }
        });
        tablets(problems);
        return problems;
    }

    private void image(String where, Map<String, Object> service, Map<String, Map<String, Object>> buildByImage, List<String> problems) {
        String image = String.valueOf(service.get("image"));
        Map<String, Object> build = map(service.get("build"));
        String component = DaemonFlags.component(image);
        if (component == null) {
            return;
        }
        if (build.isEmpty() || !"build".equals(service.get("pull_policy"))) {
            problems.add(where + ": a Tessel image needs build: and pull_policy: build (else compose pulls " + image + ")");
            return;
        }
        Path context = dir.resolve(String.valueOf(build.get("context"))).normalize();
        if (!Files.isRegularFile(context.resolve(String.valueOf(build.get("dockerfile"))))) {
            problems.add(where + ": build dockerfile " + build.get("dockerfile") + " does not exist under " + context);
        }
        String target = str(build.get("target"));
        if (target == null || dockerfile.stage(target).isEmpty() || !target.equals(component)) {
            problems.add(where + ": image " + image + " is not built from Dockerfile target " + component + " (target " + target + ")");
        }
        Map<String, Object> previous = buildByImage.putIfAbsent(image, build);
        if (previous != null && !previous.equals(build)) {
            problems.add(where + ": image " + image + " is built differently elsewhere: " + previous + " vs " + build);
        }
    }

    private void dependencies(String where, Map<String, Object> service, List<String> problems) {
        map(service.get("depends_on")).forEach((dependency, spec) -> {
            Map<String, Object> target = map(services().get(dependency));
            String condition = String.valueOf(map(spec).getOrDefault("condition", "service_started"));
            if (target.isEmpty()) {
                problems.add(where + ": depends on " + dependency + ", which is no service");
            } else if (!CONDITIONS.contains(condition)) {
                problems.add(where + ": unknown depends_on condition " + condition);
            } else if (condition.equals("service_healthy") && target.get("healthcheck") == null) {
                problems.add(where + ": waits for " + dependency + " to be healthy, which has no healthcheck");
            } else if (condition.equals("service_completed_successfully") && !"no".equals(target.get("restart"))) {
                problems.add(where + ": waits for " + dependency + " to complete, which is not a one-shot (restart: \"no\")");
            }
        });
    }

    private void volumes(String where, Map<String, Object> service, List<String> problems) {
        Set<String> declared = map(compose.get("volumes")).keySet();
        for (String volume : strings(service.get("volumes"))) {
            String source = volume.split(":")[0];
            if (source.startsWith(".") || source.startsWith("/")) {
                if (!Files.exists(dir.resolve(source))) {
                    problems.add(where + ": bind-mounts " + source + ", which does not exist");
                }
            } else if (!declared.contains(source)) {
                problems.add(where + ": uses volume " + source + ", which the top-level volumes do not declare");
            }
        }
    }

    private void daemon(String where, String name, Map<String, Object> service, DaemonFlags daemon, List<String> problems) {
        Map<String, String> flags = daemon.parseArgs(strings(service.get("command")), where, problems);
        for (String env : map(service.get("environment")).keySet()) {
            if (!daemon.envNames().contains(env)) {
                problems.add(where + ": environment " + env + " is no flag's variable of " + daemon.component());
            }
        }
        Map<String, Integer> listen = daemon.listenPorts(flags);
        for (String port : strings(service.get("ports"))) {
            String[] parts = port.split(":");
            if (!listen.containsValue(Integer.parseInt(parts[parts.length - 1]))) {
                problems.add(where + ": publishes container port " + parts[parts.length - 1] + ", which is none of its listen ports " + listen);
            }
        }
        String bind = flags.getOrDefault("--bind-address", daemon.defaults().get("--bind-address"));
        List<String> test = strings(at(service, "healthcheck", "test"));
        String http = String.valueOf(listen.get(DaemonFlags.HTTP_PORT));
        boolean tablet = daemon.component().equals("vttablet");
        String probeHost = test.size() > 4 ? test.get(4) : "127.0.0.1";
        if (test.size() < 4 || !test.get(1).equals(HEALTHCHECK) || !test.get(2).equals(http) || !Set.of("/readyz", "/healthz").contains(test.get(3))
                || !(tablet ? probeHost.equals(bind) : Set.of("0.0.0.0", probeHost).contains(bind))) {
            problems.add(where + ": healthcheck " + test + " is not " + HEALTHCHECK + " " + http + " /readyz on its bind address " + bind);
        }
        if (tablet ? !(bind.equals(name) && bind.equals(service.get("hostname"))) : !bind.equals("0.0.0.0")) {
            problems.add(where + ": --bind-address " + bind + (tablet ? " must be its service name and hostname (registered in the topology)"
                    : " must be 0.0.0.0 to be reachable"));
        }
        String topo = flags.getOrDefault("--topo-global-server-address", "");
        String topoHost = topo.replaceFirst("^https?://", "").split(":")[0];
        if (!services().containsKey(topoHost)) {
            problems.add(where + ": --topo-global-server-address " + topo + " is no service");
        }
    }

    /** Tablets: unique aliases, their own MySQL service as a dependency; the init step's shards and vtctld address. */
    private void tablets(List<String> problems) {
        DaemonFlags daemon = DaemonFlags.ALL.get("vttablet");
        Set<String> aliases = new HashSet<>();
        Map<String, Set<String>> shardsByKeyspace = new HashMap<>();
        services().forEach((name, node) -> {
            Map<String, Object> service = map(node);
            if (!"vttablet".equals(DaemonFlags.component(String.valueOf(service.get("image"))))) {
                return;
            }
            Map<String, String> flags = daemon.parseArgs(strings(service.get("command")), name, new ArrayList<>());
            if (!aliases.add(flags.get("--tablet-alias"))) {
                problems.add("docker-compose.yml service " + name + ": tablet alias " + flags.get("--tablet-alias") + " is used twice");
            }
            shardsByKeyspace.computeIfAbsent(flags.get("--keyspace"), k -> new TreeSet<>()).add(flags.get("--shard"));
            String mysql = flags.get("--mysql-host");
            if (!String.valueOf(at(services(), mysql, "image")).startsWith("mysql:")
                    || !"service_healthy".equals(at(service, "depends_on", mysql, "condition"))) {
                problems.add("docker-compose.yml service " + name + ": --mysql-host " + mysql + " is not a MySQL service it waits for");
            }
        });
        services().forEach((name, node) -> {
            Map<String, String> env = Tree.stringMap(map(node).get("environment"));
            if (env.containsKey("SHARDS")) {
                initStep(name, env, shardsByKeyspace, problems);
            }
        });
    }

    private void initStep(String name, Map<String, String> env, Map<String, Set<String>> shardsByKeyspace, List<String> problems) {
        Set<String> shards = new TreeSet<>(Arrays.asList(env.get("SHARDS").trim().split("\\s+")));
        if (!shards.equals(shardsByKeyspace.get(env.get("KEYSPACE")))) {
            problems.add("docker-compose.yml service " + name + ": SHARDS " + shards + " differ from the tablets' " + shardsByKeyspace);
        }
        String[] server = String.valueOf(env.get("VTCTLD_SERVER")).split(":");
        Map<String, Object> vtctld = map(services().get(server[0]));
        DaemonFlags daemon = DaemonFlags.ALL.get("vtctld");
        boolean ok = server.length == 2 && "vtctld".equals(DaemonFlags.component(String.valueOf(vtctld.get("image"))))
                && server[1].equals(String.valueOf(daemon.listenPorts(daemon.parseArgs(strings(vtctld.get("command")), name, new ArrayList<>()))
                        .get("--grpc-port")));
        if (!ok) {
            problems.add("docker-compose.yml service " + name + ": VTCTLD_SERVER " + env.get("VTCTLD_SERVER") + " is not vtctld's gRPC port");
        }
        List<String> files = new ArrayList<>(List.of(env.getOrDefault("VSCHEMA_FILE", "")));
        strings(at(services(), name, "entrypoint")).stream().filter(w -> w.endsWith(".sh")).forEach(files::add);
        for (String file : files) {
            boolean mounted = strings(at(services(), name, "volumes")).stream().anyMatch(v -> v.split(":").length > 1 && v.split(":")[1].equals(file));
            if (!mounted) {
                problems.add("docker-compose.yml service " + name + ": " + file + " is not mounted");
            }
        }
    }
}
