package io.tessel.vtcombo.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The objects of every manifest in docker/kubernetes/ (all *.yaml but kustomization.yaml), in file order.
 *
 * @param dir     the manifest directory
 * @param objects the objects
 */
record Cluster(Path dir, List<KubeObject> objects) {
    static final String KUSTOMIZATION = "kustomization.yaml";

    static Cluster load(Path dir) throws IOException {
        List<KubeObject> objects = new ArrayList<>();
        for (Path file : manifestFiles(dir)) {
            for (Map<String, Object> doc : Tree.readAll(file)) {
                objects.add(new KubeObject(file.getFileName().toString(), doc));
            }
        }
        return new Cluster(dir, List.copyOf(objects));
    }

    /** The manifest files, sorted by name. */
    static List<Path> manifestFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals(KUSTOMIZATION)).sorted().toList();
        }
    }

    List<KubeObject> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.kind())).toList();
    }

    Optional<KubeObject> find(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).findFirst();
    }

    List<KubeObject> workloads() {
        return objects.stream().filter(KubeObject::isWorkload).toList();
    }

    /** Every container of every pod template (workloads and Jobs). */
    List<Container> containers() {
        return objects.stream().filter(KubeObject::hasPods).flatMap(o -> o.containers().stream()).toList();
    }

    /** The workloads whose pods this selector matches. */
    List<KubeObject> selected(Map<String, String> selector) {
        return workloads().stream().filter(w -> KubeObject.selects(selector, w.podLabels())).toList();
    }

    /** The workloads running a main container of this Tessel component (vtgate, vttablet, vtctld). */
    List<KubeObject> running(String component) {
        return workloads().stream().filter(w -> w.containers().stream()
                .anyMatch(c -> c.role() == Container.Role.MAIN && component.equals(DaemonFlags.component(c.image()))))
                .toList();
    }
}
