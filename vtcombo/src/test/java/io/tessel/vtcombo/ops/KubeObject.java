package io.tessel.vtcombo.ops;

import static io.tessel.vtcombo.ops.Tree.at;
import static io.tessel.vtcombo.ops.Tree.list;
import static io.tessel.vtcombo.ops.Tree.map;
import static io.tessel.vtcombo.ops.Tree.str;
import static io.tessel.vtcombo.ops.Tree.stringMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Kubernetes object of a manifest file, as parsed YAML.
 *
 * @param file the manifest file name, for messages
 * @param doc  the object
 */
record KubeObject(String file, Map<String, Object> doc) {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

    String kind() {
        return str(doc.get("kind"));
    }

    String apiVersion() {
        return str(doc.get("apiVersion"));
    }

    String name() {
        return str(at(doc, "metadata", "name"));
    }

    /** The object named for messages, e.g. {@code vtgate.yaml Deployment/vtgate}. */
    String where() {
        return file + " " + kind() + "/" + name();
    }

    /** A Deployment or StatefulSet: it selects its pods with spec.selector. */
    boolean isWorkload() {
        return WORKLOADS.contains(kind());
    }

    /** A workload or a Job: it has a pod template. */
    boolean hasPods() {
        return isWorkload() || "Job".equals(kind());
    }

    Map<String, Object> spec() {
        return map(doc.get("spec"));
    }

    Map<String, Object> podSpec() {
        return map(at(doc, "spec", "template", "spec"));
    }

    Map<String, String> podLabels() {
        return stringMap(at(doc, "spec", "template", "metadata", "labels"));
    }

    Map<String, String> podAnnotations() {
        return stringMap(at(doc, "spec", "template", "metadata", "annotations"));
    }

    /** spec.selector.matchLabels of a workload, PodDisruptionBudget; spec.selector of a Service. */
    Map<String, String> selector() {
        return "Service".equals(kind()) ? stringMap(at(doc, "spec", "selector"))
                : stringMap(at(doc, "spec", "selector", "matchLabels"));
    }

    /** The pod's containers, then its native sidecars (init containers with restartPolicy Always), then init containers. */
    List<Container> containers() {
        List<Container> out = new ArrayList<>();
        for (Object c : list(podSpec().get("containers"))) {
            out.add(new Container(this, map(c), Container.Role.MAIN));
        }
        for (Object c : list(podSpec().get("initContainers"))) {
            boolean sidecar = "Always".equals(str(map(c).get("restartPolicy")));
            out.add(new Container(this, map(c), sidecar ? Container.Role.SIDECAR : Container.Role.INIT));
        }
        return out;
    }

    /** Volume names of the pod, including a StatefulSet's volumeClaimTemplates. */
    List<String> volumeNames() {
        List<String> names = new ArrayList<>();
        for (Object v : list(podSpec().get("volumes"))) {
            names.add(str(map(v).get("name")));
        }
        for (Object t : list(spec().get("volumeClaimTemplates"))) {
            names.add(str(at(t, "metadata", "name")));
        }
        return names;
    }

    /** True when every selector label is on the pod (a non-empty selector). */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }
}
