package io.tessel.vtcombo.ops;

import static io.tessel.vtcombo.ops.Tree.at;
import static io.tessel.vtcombo.ops.Tree.list;
import static io.tessel.vtcombo.ops.Tree.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.vtgate.VtGateDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * docker/: the Kubernetes manifests, the compose file, the Dockerfile and the init script, checked
 * structurally against each other and against the daemons' picocli flags (no Docker or Kubernetes needed).
 * The second half breaks a copy of the real files in one place each and expects that problem reported.
 */
class ManifestsTest {
    private static final Path DOCKER = Path.of("..", "docker").toAbsolutePath().normalize();
    private static final Path KUBERNETES = DOCKER.resolve("kubernetes");

    @TempDir
    Path tmp;

    private static void assertNoProblems(List<String> problems) {
        assertTrue(problems.isEmpty(), () -> problems.size() + " problem(s):\n" + String.join("\n", problems));
    }

    private static void assertReports(List<String> problems, String fragment) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)),
                () -> "expected a problem containing '" + fragment + "', got " + problems);
    }

    private static Cluster cluster() throws IOException {
        return Cluster.load(KUBERNETES);
    }

    private static KubeObject object(Cluster cluster, String kind, String name) {
        return cluster.find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    private static Map<String, Object> container(KubeObject o, String name) {
        return o.containers().stream().filter(c -> name.equals(c.name())).findFirst().orElseThrow().spec();
    }

    private static ComposeChecks compose() throws IOException {
        Map<String, Object> file = Tree.readAll(DOCKER.resolve("docker-compose.yml")).get(0);
        return new ComposeChecks(file, DOCKER, Dockerfile.read(DOCKER.resolve("Dockerfile")));
    }

    @Test
    void daemonFlagsAreReadFromThePicocliOptions() {
        DaemonFlags vtgate = DaemonFlags.ALL.get("vtgate");
        assertEquals(VtGateDaemon.class, vtgate.mainClass());
        assertEquals("15306", vtgate.defaults().get("--port"));
        assertTrue(vtgate.accepts("--topo-global-server-address") && vtgate.accepts("--help"));
        assertFalse(vtgate.accepts("--grpc-port"));
        assertEquals("16100", DaemonFlags.ALL.get("vttablet").defaults().get("--grpc-port"));
        assertEquals(Map.of("--grpc-port", 15999, "--http-port", 15000), DaemonFlags.ALL.get("vtctld").listenPorts(Map.of()));
        assertTrue(DaemonFlags.ALL.get("vttablet").envNames().contains("MYSQL_PASSWORD"));
        assertEquals("vttablet", DaemonFlags.component("registry.example.com/tessel/vttablet:0.1.0"));
        assertNull(DaemonFlags.component("mysql:8.4"));
    }

    @Test
    void contractFlagsKeepTheirDefaultsOnceTheDaemonsDeclareThem() {
        for (DaemonFlags daemon : DaemonFlags.ALL.values()) {
            assertNoProblems(daemon.contractDrift());
        }
        @Command(name = "drifted")
        class Drifted {
            @Option(names = "--http-port", defaultValue = "8080")
            int httpPort;
        }
        assertReports(DaemonFlags.of("drifted", Drifted.class, Map.of("--http-port", "15001")).contractDrift(), "default 8080");
    }

    @Test
    void kubernetesManifestsAreConsistent() throws IOException {
        Cluster cluster = cluster();
        assertTrue(cluster.objects().size() >= 15, "objects: " + cluster.objects().size());
        assertNoProblems(WorkloadChecks.kindsAndNames(cluster));
        assertNoProblems(WorkloadChecks.selectors(cluster));
        assertNoProblems(WorkloadChecks.services(cluster));
        assertNoProblems(WorkloadChecks.autoscaling(cluster));
        assertNoProblems(WorkloadChecks.references(cluster));
    }

    @Test
    void kustomizationListsEveryManifestAndTesselImage() throws IOException {
        Map<String, Object> kustomization = Tree.readAll(KUBERNETES.resolve(Cluster.KUSTOMIZATION)).get(0);
        List<String> files = Cluster.manifestFiles(KUBERNETES).stream().map(f -> f.getFileName().toString()).toList();
        assertNoProblems(WorkloadChecks.kustomization(cluster(), kustomization, files));
    }

    @Test
    void containersMatchTheirDaemonsFlagsPortsAndProbes() throws IOException {
        Cluster cluster = cluster();
        assertEquals(5, cluster.containers().stream().filter(c -> DaemonFlags.component(c.image()) != null).count());
        assertNoProblems(ContainerChecks.allContainers(cluster));
        assertNoProblems(ContainerChecks.tesselContainers(cluster));
        assertNoProblems(ContainerChecks.topologyAddresses(cluster));
    }

    @Test
    void tabletsInitJobEtcdAndConfigMapAgree() throws IOException {
        Cluster cluster = cluster();
        assertEquals(2, cluster.running("vttablet").size());
        assertNoProblems(ContainerChecks.tablets(cluster));
        assertNoProblems(ContainerChecks.initJobs(cluster));
        assertNoProblems(ContainerChecks.etcd(cluster));
        assertNoProblems(ContainerChecks.initFiles(cluster, "tessel-commerce", DOCKER.resolve("init")));
    }

    @Test
    void dockerfileHasATargetPerDaemonAndCopiesOnlyWhatItsContextKeeps() throws IOException {
        Dockerfile dockerfile = Dockerfile.read(DOCKER.resolve("Dockerfile"));
        assertNoProblems(DockerChecks.targets(dockerfile));
        List<String> ignore = Files.readAllLines(DOCKER.resolve("Dockerfile.dockerignore"));
        assertNoProblems(DockerChecks.contextAndEnv(dockerfile, DOCKER.getParent(), ignore));
        assertTrue(DockerChecks.ignored("vtgate/target/classes", ignore));
        assertTrue(DockerChecks.ignored("docker/kubernetes/vtgate.yaml", ignore));
        assertFalse(DockerChecks.ignored("docker/bin/healthcheck", ignore));
        assertFalse(DockerChecks.ignored("vtgate/src/main/java", ignore));
    }

    @Test
    void initScriptCallsOnlyVtctlCommandsAndOptions() throws IOException {
        assertNoProblems(DockerChecks.initScript(DOCKER.resolve("init/init-cluster.sh")));
    }

    @Test
    void composeFileMatchesTheDaemonsAndTheDockerfile() throws IOException {
        assertNoProblems(compose().all());
    }

    // ---- each check can fail: one break in a copy of the real files, and the problem it must report ----

    @Test
    void brokenWorkloadSelectorsAreReported() throws IOException {
        Cluster cluster = cluster();
        map(at(object(cluster, "Deployment", "vtgate").doc(), "spec", "selector", "matchLabels"))
                .put("app.kubernetes.io/component", "vtgat");
        assertReports(WorkloadChecks.selectors(cluster), "does not match its pod labels");

        Cluster tablets = cluster();
        map(at(object(tablets, "StatefulSet", "vttablet-commerce-x-80").doc(), "spec", "selector", "matchLabels"))
                .remove("tessel.io/shard");
        assertReports(WorkloadChecks.selectors(tablets), "also matches the pods of vttablet.yaml StatefulSet/vttablet-commerce-80-x");
    }

    @Test
    void brokenServicesHpaAndPdbAreReported() throws IOException {
        Cluster cluster = cluster();
        map(at(object(cluster, "Service", "vtctld").doc(), "spec", "selector")).put("app.kubernetes.io/component", "nothing");
        map(list(at(object(cluster, "Service", "vtgate").doc(), "spec", "ports")).get(0)).put("targetPort", "mysqlx");
        map(at(object(cluster, "HorizontalPodAutoscaler", "vtgate").doc(), "spec", "scaleTargetRef")).put("name", "vtgate2");
        map(at(object(cluster, "PodDisruptionBudget", "vtgate").doc(), "spec", "selector", "matchLabels")).put("tier", "x");
        List<String> services = WorkloadChecks.services(cluster);
        assertReports(services, "Service/vtctld: selector");
        assertReports(services, "targetPort mysqlx is not a container port");
        List<String> autoscaling = WorkloadChecks.autoscaling(cluster);
        assertReports(autoscaling, "is not a Deployment of the manifests");
        assertReports(autoscaling, "no PodDisruptionBudget selects its pods");
    }

    @Test
    void badFlagsPortsAndProbesAreReported() throws IOException {
        Cluster cluster = cluster();
        KubeObject vtgate = object(cluster, "Deployment", "vtgate");
        List<Object> args = list(container(vtgate, "vtgate").get("args"));
        args.add("--no-such-flag=1");
        args.replaceAll(a -> a.equals("--http-port=15001") ? "--http-port=15002" : a);
        map(at(container(vtgate, "vtgate"), "readinessProbe", "httpGet")).put("path", "/healthz");
        KubeObject tablet = object(cluster, "StatefulSet", "vttablet-commerce-80-x");
        list(container(tablet, "vttablet").get("args")).replaceAll(a -> a.equals("--bind-address=$(POD_IP)") ? "--bind-address=0.0.0.0" : a);
        List<String> problems = ContainerChecks.tesselContainers(cluster);
        assertReports(problems, "vtgate has no flag --no-such-flag (VtGateDaemon)");
        assertReports(problems, "differ from the ports its flags listen on");
        assertReports(problems, "readinessProbe is not an httpGet of /readyz");
        assertReports(problems, "0.0.0.0 is no address vtgate can dial");
    }

    @Test
    void tabletInitAndConfigMapDriftIsReported() throws IOException {
        Cluster cluster = cluster();
        map(at(object(cluster, "StatefulSet", "vttablet-commerce-80-x").doc(), "spec", "template", "metadata", "labels"))
                .put("tessel.io/shard", "80-c0");
        KubeObject job = object(cluster, "Job", "tessel-init-commerce");
        list(container(job, "init").get("env")).forEach(e -> {
            if ("VTCTLD_SERVER".equals(map(e).get("name"))) {
                map(e).put("value", "vtctld:15000");
            }
        });
        map(object(cluster, "ConfigMap", "tessel-commerce").doc().get("data")).put("vschema.json", "{}\n");
        assertReports(ContainerChecks.tablets(cluster), "do not name keyspace commerce shard 80-");
        assertReports(ContainerChecks.initJobs(cluster), "SHARDS [-80, 80-] differ");
        assertReports(ContainerChecks.initJobs(cluster), "is not the vtctld Service's gRPC port");
        assertReports(ContainerChecks.initFiles(cluster, "tessel-commerce", DOCKER.resolve("init")), "vschema.json differs");
    }

    @Test
    void brokenComposeServicesAreReported() throws IOException {
        ComposeChecks compose = compose();
        Map<String, Object> services = compose.services();
        list(map(services.get("vtgate")).get("command")).add("--grpc-port=1");
        list(map(services.get("vttablet-201")).get("command")).replaceAll(a -> a.equals("--shard=80-") ? "--shard=80-c0" : a);
        map(services.get("vtctld")).put("ports", List.of("15998:15998"));
        map(map(services.get("init")).get("build")).put("target", "vtgate");
        List<String> problems = compose.all();
        assertReports(problems, "vtgate has no flag --grpc-port");
        assertReports(problems, "SHARDS [-80, 80-] differ");
        assertReports(problems, "publishes container port 15998");
        assertReports(problems, "is not built from Dockerfile target vtctld");
    }

    @Test
    void brokenDockerfileAndInitScriptAreReported() throws IOException {
        String text = Files.readString(DOCKER.resolve("Dockerfile"))
                .replace("\"io.tessel.vttablet.VtTablet\"]", "\"io.tessel.vttablet.Tablet\"]")
                .replace("EXPOSE 15999 15000", "EXPOSE 15999")
                .replace("USER 10001:10001", "USER root");
        List<String> problems = DockerChecks.targets(Dockerfile.parse(text));
        assertReports(problems, "does not end with io.tessel.vttablet.VtTablet");
        assertReports(problems, "target vtctld: EXPOSE [15999] differs");
        assertReports(problems, "USER root is not a numeric non-root uid");

        Path script = tmp.resolve("init.sh");
        Files.writeString(script, "vtctl CreateKeyspaces ks\nvtctl CreateShard --forced ks/0\n");
        List<String> scriptProblems = DockerChecks.initScript(script);
        assertReports(scriptProblems, "vtctl has no command CreateKeyspaces");
        assertReports(scriptProblems, "vtctl CreateShard has no option --forced");
        assertReports(scriptProblems, "never calls vtctl ApplyVSchema");
    }
}
