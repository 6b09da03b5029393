package io.tessel.vtcombo.ops;

import static io.tessel.vtcombo.ops.Tree.at;
import static io.tessel.vtcombo.ops.Tree.list;
import static io.tessel.vtcombo.ops.Tree.map;
import static io.tessel.vtcombo.ops.Tree.str;
import static io.tessel.vtcombo.ops.Tree.stringMap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structural checks of the Kubernetes objects among themselves: known kinds, valid names and labels,
 * selectors against pod labels, Services against container ports, HPA and PDB targets. Each check returns
 * its problems, one readable line each; none means the check passed. Stateless.
 */
final class WorkloadChecks {
    /** The kinds the manifests may use, with the only apiVersion accepted for each. */
    static final Map<String, String> KNOWN_KINDS = Map.of(
            "Namespace", "v1", "Service", "v1", "ConfigMap", "v1", "Secret", "v1",
            "Deployment", "apps/v1", "StatefulSet", "apps/v1", "Job", "batch/v1",
            "HorizontalPodAutoscaler", "autoscaling/v2", "PodDisruptionBudget", "policy/v1");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Pattern LABEL_PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private WorkloadChecks() {}

    /** Known kind and apiVersion, valid unique names, valid label keys and values everywhere. */
    static List<String> kindsAndNames(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (KubeObject o : cluster.objects()) {
            String expected = KNOWN_KINDS.get(o.kind());
            if (expected == null || !expected.equals(o.apiVersion())) {
                problems.add(o.where() + ": kind " + o.kind() + " with apiVersion " + o.apiVersion()
                        + " is not one of " + KNOWN_KINDS);
            }
            Pattern name = "Service".equals(o.kind()) ? DNS_1035 : DNS_LABEL;
            if (o.name() == null || !name.matcher(o.name()).matches()) {
                problems.add(o.where() + ": name is not a valid " + ("Service".equals(o.kind()) ? "DNS-1035" : "DNS-1123") + " label");
            }
            if (!seen.add(o.kind() + "/" + o.name())) {
                problems.add(o.where() + ": defined twice");
            }
            checkLabels(o.where() + " metadata.labels", stringMap(at(o.doc(), "metadata", "labels")), problems);
            checkLabels(o.where() + " pod labels", o.podLabels(), problems);
            checkLabels(o.where() + " selector", o.selector(), problems);
        }
        return problems;
    }

    private static void checkLabels(String where, Map<String, String> labels, List<String> problems) {
        labels.forEach((key, value) -> {
            int slash = key.indexOf('/');
            String prefix = slash < 0 ? null : key.substring(0, slash);
            String name = key.substring(slash + 1);
            if (!LABEL_NAME.matcher(name).matches() || prefix != null && !LABEL_PREFIX.matcher(prefix).matches()) {
                problems.add(where + ": invalid label key '" + key + "'");
            }
            if (!value.isEmpty() && !LABEL_NAME.matcher(value).matches()) {
                problems.add(where + ": invalid value '" + value + "' of label " + key);
            }
        });
    }

    /** kustomization.yaml lists exactly the manifest files, and sets the tag of exactly the Tessel images used. */
    static List<String> kustomization(Cluster cluster, Map<String, Object> kustomization, List<String> files) {
        List<String> problems = new ArrayList<>();
        Set<String> resources = new HashSet<>(Tree.strings(kustomization.get("resources")));
        if (!resources.equals(new HashSet<>(files))) {
            problems.add(Cluster.KUSTOMIZATION + ": resources " + resources + " differ from the manifest files " + files);
        }
        Set<String> images = new HashSet<>();
        for (Object image : list(kustomization.get("images"))) {
            images.add(str(map(image).get("name")));
        }
        Set<String> used = new HashSet<>();
        for (Container c : cluster.containers()) {
            if (DaemonFlags.component(c.image()) != null) {
                used.add(c.image().replaceFirst(":[^:/]*$", ""));
            }
        }
        if (!images.equals(used)) {
            problems.add(Cluster.KUSTOMIZATION + ": images " + images + " differ from the Tessel images used " + used);
        }
        return problems;
    }

    /** Workload selectors: matchLabels only, matching their own pod labels and no other workload's. */
    static List<String> selectors(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (KubeObject w : cluster.workloads()) {
            if (at(w.doc(), "spec", "selector", "matchExpressions") != null) {
                problems.add(w.where() + ": selector uses matchExpressions; use matchLabels");
            }
            if (!KubeObject.selects(w.selector(), w.podLabels())) {
                problems.add(w.where() + ": selector " + w.selector() + " does not match its pod labels " + w.podLabels());
            }
            for (KubeObject other : cluster.workloads()) {
                if (other != w && KubeObject.selects(w.selector(), other.podLabels())) {
                    problems.add(w.where() + ": selector " + w.selector() + " also matches the pods of " + other.where());
                }
            }
        }
        return problems;
    }

    /** Services select some workload's pods, and each target port is a container port of every pod selected. */
    static List<String> services(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (KubeObject s : cluster.ofKind("Service")) {
            List<KubeObject> selected = cluster.selected(s.selector());
            if (selected.isEmpty()) {
                problems.add(s.where() + ": selector " + s.selector() + " matches no workload's pods");
            }
            for (Object p : list(s.spec().get("ports"))) {
                Object target = map(p).getOrDefault("targetPort", map(p).get("port"));
                for (KubeObject w : selected) {
                    boolean found = w.containers().stream().filter(c -> c.role() != Container.Role.INIT)
                            .anyMatch(c -> c.resolvePort(target) != null);
                    if (!found) {
                        problems.add(s.where() + ": targetPort " + target + " is not a container port of " + w.where());
                    }
                }
            }
        }
        for (KubeObject sts : cluster.ofKind("StatefulSet")) {
            String serviceName = str(sts.spec().get("serviceName"));
            Optional<KubeObject> service = cluster.find("Service", serviceName == null ? "" : serviceName);
            if (service.isEmpty() || !"None".equals(str(service.get().spec().get("clusterIP")))
                    || !KubeObject.selects(service.get().selector(), sts.podLabels())) {
                problems.add(sts.where() + ": serviceName " + serviceName + " is not a headless Service selecting its pods");
            }
        }
        return problems;
    }

    /**
     * HPAs target an existing Deployment that leaves replicas to them and requests CPU; PDBs select some
     * workload's pods, and vtgate's pods have one.
     */
    static List<String> autoscaling(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (KubeObject hpa : cluster.ofKind("HorizontalPodAutoscaler")) {
            Map<String, Object> ref = map(hpa.spec().get("scaleTargetRef"));
            Optional<KubeObject> target = "apps/v1".equals(str(ref.get("apiVersion")))
                    ? cluster.find(str(ref.get("kind")), str(ref.get("name"))) : Optional.empty();
            if (target.isEmpty() || !"Deployment".equals(target.get().kind())) {
                problems.add(hpa.where() + ": scaleTargetRef " + ref + " is not a Deployment of the manifests");
                continue;
            }
            int min = ((Number) hpa.spec().getOrDefault("minReplicas", 1)).intValue();
            int max = ((Number) hpa.spec().getOrDefault("maxReplicas", 0)).intValue();
            if (min < 2 || max < min) {
                problems.add(hpa.where() + ": minReplicas " + min + " / maxReplicas " + max + " (want 2 <= min <= max)");
            }
            if (target.get().spec().containsKey("replicas")) {
                problems.add(target.get().where() + ": sets replicas although " + hpa.where() + " scales it");
            }
            for (Container c : target.get().containers()) {
                if (at(c.resources(), "requests", "cpu") == null) {
                    problems.add(c.where() + ": no CPU request, which " + hpa.where() + "'s utilization target needs");
                }
            }
        }
        for (KubeObject pdb : cluster.ofKind("PodDisruptionBudget")) {
            if (cluster.selected(pdb.selector()).isEmpty()) {
                problems.add(pdb.where() + ": selector " + pdb.selector() + " matches no workload's pods");
            }
            if (pdb.spec().containsKey("minAvailable") == pdb.spec().containsKey("maxUnavailable")) {
                problems.add(pdb.where() + ": set exactly one of minAvailable and maxUnavailable");
            }
        }
        for (KubeObject vtgate : cluster.running("vtgate")) {
            boolean covered = cluster.ofKind("PodDisruptionBudget").stream()
                    .anyMatch(pdb -> KubeObject.selects(pdb.selector(), vtgate.podLabels()));
            if (!covered) {
                problems.add(vtgate.where() + ": no PodDisruptionBudget selects its pods");
            }
        }
        if (cluster.running("vtgate").isEmpty()) {
            problems.add("no workload runs tessel/vtgate");
        }
        return problems;
    }

    /** ConfigMap and Secret references (volumes, items, env), volume mounts and $(VAR) references resolve. */
    static List<String> references(Cluster cluster) {
        List<String> problems = new ArrayList<>();
        for (KubeObject o : cluster.objects()) {
            if (!o.hasPods()) {
                continue;
            }
            for (Object v : list(o.podSpec().get("volumes"))) {
                Map<String, Object> cm = map(map(v).get("configMap"));
                if (!cm.isEmpty()) {
                    List<String> keys = list(cm.get("items")).stream().map(i -> str(map(i).get("key"))).toList();
                    checkKeys(cluster, "ConfigMap", str(cm.get("name")), keys, o.where() + " volume " + map(v).get("name"), problems);
                }
            }
            for (Container c : o.containers()) {
                containerReferences(cluster, c, o.volumeNames(), problems);
            }
        }
        return problems;
    }

    private static void containerReferences(Cluster cluster, Container c, List<String> volumes, List<String> problems) {
        for (Object m : list(c.spec().get("volumeMounts"))) {
            if (!volumes.contains(str(map(m).get("name")))) {
                problems.add(c.where() + ": mounts volume " + map(m).get("name") + ", which the pod does not have");
            }
        }
        c.env().forEach((name, e) -> {
            Map<String, Object> secret = map(at(e, "valueFrom", "secretKeyRef"));
            Map<String, Object> configMap = map(at(e, "valueFrom", "configMapKeyRef"));
            if (!secret.isEmpty()) {
                checkKeys(cluster, "Secret", str(secret.get("name")), List.of(str(secret.get("key"))), c.where() + " env " + name, problems);
            }
            if (!configMap.isEmpty()) {
                checkKeys(cluster, "ConfigMap", str(configMap.get("name")), List.of(str(configMap.get("key"))), c.where() + " env " + name, problems);
            }
        });
        List<String> words = new ArrayList<>(c.command());
        words.addAll(c.args());
        for (String word : words) {
            Matcher m = VAR_REF.matcher(word);
            while (m.find()) {
                if (!c.env().containsKey(m.group(1))) {
                    problems.add(c.where() + ": '" + word + "' refers to $(" + m.group(1) + "), which its env does not define");
                }
            }
        }
    }

    private static void checkKeys(Cluster cluster, String kind, String name, List<String> keys, String where, List<String> problems) {
        Optional<KubeObject> source = cluster.find(kind, name == null ? "" : name);
        if (source.isEmpty()) {
            problems.add(where + ": refers to " + kind + " " + name + ", which the manifests do not define");
            return;
        }
        Set<String> present = new HashSet<>(map(source.get().doc().get("data")).keySet());
        present.addAll(map(source.get().doc().get("stringData")).keySet());
        for (String key : keys) {
            if (!present.contains(key)) {
                problems.add(where + ": " + kind + " " + name + " has no key " + key);
            }
        }
    }
}
