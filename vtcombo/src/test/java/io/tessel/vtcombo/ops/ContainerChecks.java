package io.tessel.vtcombo.ops;

import static io.tessel.vtcombo.ops.Tree.at;
import static io.tessel.vtcombo.ops.Tree.list;
import static io.tessel.vtcombo.ops.Tree.map;
import static io.tessel.vtcombo.ops.Tree.str;

import io.tessel.common.flags.EnvDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks of the containers against the daemons: flags the daemon accepts, container ports equal to the
 * ports those flags make it listen on, probes on the HTTP port's /healthz and /readyz, resources, non-root;
 * then the tablets, the init Job, etcd's member list and the keyspace ConfigMap. Each check returns its
 * problems; none means it passed. Stateless.
 */
final class ContainerChecks {
    /** Environment variables a Tessel container may set besides its flags' (EnvDefaults) variables. */
    static final Set<String> EXTRA_ENV = Set.of("POD_IP", "POD_NAME", "POD_NAMESPACE");

    private ContainerChecks() {}

    /** Every container: probe ports are its ports; CPU and memory requested, memory limited. */
    static List<String> allContainers(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (Container c : cluster.containers()) {
            for (String probe : Container.PROBES) {
                Map<String, Object> p = map(c.spec().get(probe));
                Object port = p.containsKey("httpGet") ? at(p, "httpGet", "port") : at(p, "tcpSocket", "port");
                if (port != null && c.resolvePort(port) == null) {
                    problems.add(c.where() + ": " + probe + " port " + port + " is not a container port " + c.ports());
                }
            }
            for (String path : List.of("requests.cpu", "requests.memory", "limits.memory")) {
                if (at(c.resources(), path.split("\\.")) == null) {
                    problems.add(c.where() + ": no resources." + path);
                }
            }
        }
        return problems;
    }

    /** Every container running a Tessel image, checked against its daemon's flags. */
    static List<String> tesselContainers(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (Container c : cluster.containers()) {
            if (DaemonFlags.component(c.image()) == null) {
                continue;
            }
            DaemonFlags daemon = DaemonFlags.forImage(c.image());
            if (daemon == null) {
                problems.add(c.where() + ": image " + c.image() + " is no Tessel daemon's " + DaemonFlags.ALL.keySet());
                continue;
            }
            if (!Boolean.TRUE.equals(at(c.spec(), "securityContext", "runAsNonRoot"))
                    && !Boolean.TRUE.equals(at(c.owner().podSpec(), "securityContext", "runAsNonRoot"))) {
                problems.add(c.where() + ": runAsNonRoot is not set");
            }
            if (c.command().isEmpty()) { // else a tool run in the image (the init Job), not the daemon
                daemonContainer(c, daemon, problems);
            }
        }
        return problems;
    }

    private static void daemonContainer(Container c, DaemonFlags daemon, List<String> problems) {
        if (!Boolean.FALSE.equals(c.owner().podSpec().get("enableServiceLinks"))) {
            problems.add(c.where() + ": set enableServiceLinks: false (Service variables such as VTGATE_PORT "
                    + "can collide with the variables the daemon reads its flags from)");
        }
        Map<String, String> flags = daemon.parseArgs(c.args(), c.where(), problems);
        for (String env : c.env().keySet()) {
            if (!daemon.envNames().contains(env) && !EXTRA_ENV.contains(env)) {
                problems.add(c.where() + ": env " + env + " is neither a flag's variable nor one of " + EXTRA_ENV);
            }
            if (flags.keySet().stream().anyMatch(f -> f.startsWith("--") && EnvDefaults.envName(f).equals(env))) {
                problems.add(c.where() + ": env " + env + " sets a flag also given as an argument");
            }
        }
        Map<String, Integer> listen;
        try {
            listen = daemon.listenPorts(flags);
        } catch (IllegalArgumentException e) {
            problems.add(c.where() + ": " + e.getMessage());
            return;
        }
        Set<Integer> declared = new HashSet<>(c.ports().values());
        if (!declared.equals(new HashSet<>(listen.values()))) {
            problems.add(c.where() + ": container ports " + c.ports() + " differ from the ports its flags listen on " + listen);
        }
        int http = listen.get(DaemonFlags.HTTP_PORT);
        if (!Integer.valueOf(http).equals(c.ports().get("http"))) {
            problems.add(c.where() + ": the port named http is not " + DaemonFlags.HTTP_PORT + " " + http);
        }
        probes(c, http, problems);
        bindAddress(c, daemon, flags, problems);
        Map<String, String> annotations = c.owner().podAnnotations();
        if (!"true".equals(annotations.get("prometheus.io/scrape")) || !String.valueOf(http).equals(annotations.get("prometheus.io/port"))
                || !"/metrics".equals(annotations.get("prometheus.io/path"))) {
            problems.add(c.where() + ": prometheus.io annotations " + annotations + " do not point at /metrics on " + http);
        }
    }

    /** Liveness and readiness required; startup and liveness on /healthz, readiness on /readyz, all on the HTTP port. */
    private static void probes(Container c, int http, List<String> problems) {
        for (String probe : Container.PROBES) {
            Map<String, Object> p = map(c.spec().get(probe));
            if (p.isEmpty()) {
                if (!probe.equals("startupProbe")) {
                    problems.add(c.where() + ": no " + probe);
                }
                continue;
            }
            String want = probe.equals("readinessProbe") ? "/readyz" : "/healthz";
            Object path = at(p, "httpGet", "path");
            if (!want.equals(path)) {
                problems.add(c.where() + ": " + probe + " is not an httpGet of " + want + " (got " + path + ")");
            }
            Integer port = c.resolvePort(at(p, "httpGet", "port"));
            if (port == null || port != http) {
                problems.add(c.where() + ": " + probe + " port " + at(p, "httpGet", "port") + " is not the HTTP port " + http);
            }
        }
    }

    private static void bindAddress(Container c, DaemonFlags daemon, Map<String, String> flags, List<String> problems) {
        String bind = flags.getOrDefault("--bind-address", daemon.defaults().get("--bind-address"));
        if (bind == null || bind.equals("127.0.0.1") || bind.equals("localhost")) {
            problems.add(c.where() + ": --bind-address " + bind + " cannot be reached by probes or peers");
        } else if (daemon.component().equals("vttablet") && bind.equals("0.0.0.0")) {
            problems.add(c.where() + ": vttablet registers --bind-address as its hostname; 0.0.0.0 is no address vtgate can dial");
        }
    }

    /** Topology addresses name a Service of the manifests with that port. */
    static List<String> topologyAddresses(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (Container c : cluster.containers()) {
            DaemonFlags daemon = DaemonFlags.forImage(c.image() == null ? "" : c.image());
            if (daemon == null || !c.command().isEmpty()) {
                continue;
            }
            Map<String, String> flags = daemon.parseArgs(c.args(), c.where(), new ArrayList<>());
            String topo = flags.getOrDefault("--topo-global-server-address", "");
            for (String endpoint : topo.split(",")) {
                String[] hostPort = endpoint.replaceFirst("^https?://", "").split(":");
                boolean found = hostPort.length == 2 && cluster.find("Service", hostPort[0])
                        .map(s -> list(s.spec().get("ports")).stream().anyMatch(p -> hostPort[1].equals(str(map(p).get("port")))))
                        .orElse(false);
                if (!found) {
                    problems.add(c.where() + ": --topo-global-server-address " + endpoint + " is no Service port of the manifests");
                }
            }
        }
        return problems;
    }

    /** Shard name to label value: label values may not start or end with '-' (-80 is x-80, 80- is 80-x). */
    static String shardLabel(String shard) {
        String label = shard.startsWith("-") ? "x" + shard : shard;
        return label.endsWith("-") ? label + "x" : label;
    }

    /** Tablet StatefulSets: one replica, labels equal to keyspace and shard, unique aliases, MySQL in the pod. */
    static List<String> tablets(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        Set<String> aliases = new HashSet<>();
        for (KubeObject w : cluster.running("vttablet")) {
            if (!"StatefulSet".equals(w.kind()) || !Integer.valueOf(1).equals(w.spec().get("replicas"))) {
                problems.add(w.where() + ": a tablet runs as a StatefulSet of one replica (its alias is fixed)");
            }
            Container tablet = w.containers().stream().filter(c -> "vttablet".equals(DaemonFlags.component(c.image())))
                    .findFirst().orElseThrow();
            DaemonFlags daemon = DaemonFlags.ALL.get("vttablet");
            Map<String, String> flags = daemon.parseArgs(tablet.args(), tablet.where(), new ArrayList<>());
            String shard = flags.getOrDefault("--shard", daemon.defaults().get("--shard"));
            if (!String.valueOf(flags.get("--keyspace")).equals(w.podLabels().get("tessel.io/keyspace"))
                    || !shardLabel(shard).equals(w.podLabels().get("tessel.io/shard"))) {
                problems.add(w.where() + ": labels " + w.podLabels() + " do not name keyspace " + flags.get("--keyspace") + " shard " + shard);
            }
            if (!aliases.add(flags.get("--tablet-alias"))) {
                problems.add(w.where() + ": tablet alias " + flags.get("--tablet-alias") + " is used twice");
            }
            String mysqlPort = flags.getOrDefault("--mysql-port", daemon.defaults().get("--mysql-port"));
            boolean local = Set.of("127.0.0.1", "localhost").contains(flags.getOrDefault("--mysql-host", daemon.defaults().get("--mysql-host")));
            boolean served = w.containers().stream().filter(c -> c != tablet && c.role() != Container.Role.INIT)
                    .anyMatch(c -> c.ports().containsValue(Integer.parseInt(mysqlPort)));
            if (!local || !served) {
                problems.add(w.where() + ": --mysql-host/--mysql-port are not a MySQL container of the same pod");
            }
        }
        return problems;
    }

    /** Init Jobs create exactly the keyspace's shards that tablets serve, through the vtctld Service's gRPC port. */
    static List<String> initJobs(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (KubeObject job : cluster.ofKind("Job")) {
            for (Container c : job.containers()) {
                Map<String, String> env = c.env().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue().get("value"))));
                Set<String> shards = new TreeSet<>(Arrays.asList(env.getOrDefault("SHARDS", "").trim().split("\\s+")));
                Set<String> served = new TreeSet<>();
                for (KubeObject w : cluster.running("vttablet")) {
                    if (String.valueOf(env.get("KEYSPACE")).equals(w.podLabels().get("tessel.io/keyspace"))) {
                        served.add(w.podLabels().get("tessel.io/shard"));
                    }
                }
                if (!shards.stream().map(ContainerChecks::shardLabel).collect(Collectors.toSet()).equals(served)) {
                    problems.add(c.where() + ": SHARDS " + shards + " differ from the tablets' shards " + served);
                }
                String[] server = env.getOrDefault("VTCTLD_SERVER", "").split(":");
                if (server.length != 2 || !grpcPortOf(cluster, server[0], server[1])) {
                    problems.add(c.where() + ": VTCTLD_SERVER " + env.get("VTCTLD_SERVER") + " is not the vtctld Service's gRPC port");
                }
            }
        }
        return problems;
    }

    private static boolean grpcPortOf(Cluster cluster, String serviceName, String port) {
        Optional<KubeObject> service = cluster.find("Service", serviceName);
        List<KubeObject> vtctld = cluster.running("vtctld");
        if (service.isEmpty() || vtctld.isEmpty()) {
            return false;
        }
        Container c = vtctld.get(0).containers().get(0);
        DaemonFlags daemon = DaemonFlags.ALL.get("vtctld");
        int grpc = daemon.listenPorts(daemon.parseArgs(c.args(), c.where(), new ArrayList<>())).get("--grpc-port");
        return list(service.get().spec().get("ports")).stream().map(Tree::map)
                .anyMatch(p -> port.equals(str(p.get("port"))) && Integer.valueOf(grpc).equals(c.resolvePort(p.get("targetPort"))));
    }

    /** etcd StatefulSets start in parallel and list exactly their own pods as the initial cluster. */
    static List<String> etcd(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (KubeObject sts : cluster.ofKind("StatefulSet")) {
            Optional<Container> etcd = sts.containers().stream().filter(c -> c.image().contains("/etcd:")).findFirst();
            if (etcd.isEmpty()) {
                continue;
            }
            int replicas = ((Number) sts.spec().getOrDefault("replicas", 1)).intValue();
            String service = str(sts.spec().get("serviceName"));
            String expected = Stream.iterate(0, i -> i + 1).limit(replicas)
                    .map(i -> sts.name() + "-" + i + "=http://" + sts.name() + "-" + i + "." + service + ":2380")
                    .collect(Collectors.joining(","));
            if (!etcd.get().args().contains("--initial-cluster=" + expected)) {
                problems.add(sts.where() + ": --initial-cluster is not its " + replicas + " pods: " + expected);
            }
            if (!"Parallel".equals(sts.spec().get("podManagementPolicy"))) {
                problems.add(sts.where() + ": podManagementPolicy must be Parallel (a lone member never becomes ready)");
            }
        }
        return problems;
    }

    /** The keyspace ConfigMap holds exactly the files of docker/init, byte for byte. */
    static List<String> initFiles(Cluster cluster, String configMap, Path initDir) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> data = map(cluster.find("ConfigMap", configMap).map(o -> o.doc().get("data")).orElse(null));
        try (Stream<Path> files = Files.list(initDir)) {
            Set<String> names = files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
            if (!names.equals(data.keySet())) {
                problems.add("ConfigMap " + configMap + ": keys " + data.keySet() + " differ from the files of " + initDir + " " + names);
            }
        }
        for (String key : data.keySet()) {
            Path file = initDir.resolve(key);
            if (Files.exists(file) && !Files.readString(file).equals(data.get(key))) {
                problems.add("ConfigMap " + configMap + ": " + key + " differs from " + file);
            }
        }
        return problems;
    }
}
