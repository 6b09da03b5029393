package io.tessel.vtcombo.ops;

import static io.tessel.vtcombo.ops.Tree.list;
import static io.tessel.vtcombo.ops.Tree.map;
import static io.tessel.vtcombo.ops.Tree.str;
import static io.tessel.vtcombo.ops.Tree.strings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container of a pod template.
 *
 * @param owner the object whose pod template holds it
 * @param spec  the container
 * @param role  main container, native sidecar or init container
 */
record Container(KubeObject owner, Map<String, Object> spec, Role role) {
    /** Where a container sits in the pod. */
    enum Role { MAIN, SIDECAR, INIT }

    /** The probes a container may declare. */
    static final List<String> PROBES = List.of("startupProbe", "livenessProbe", "readinessProbe");

    String name() {
        return str(spec.get("name"));
    }

    String image() {
        return str(spec.get("image"));
    }

    List<String> args() {
        return strings(spec.get("args"));
    }

    List<String> command() {
        return strings(spec.get("command"));
    }

    String where() {
        return owner.where() + " container " + name();
    }

    /** Container ports by name (unnamed ones under their number). */
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object p : list(spec.get("ports"))) {
            Object number = map(p).get("containerPort");
            Object name = map(p).get("name");
            int port = number instanceof Number n ? n.intValue() : -1;
            ports.put(name == null ? String.valueOf(port) : String.valueOf(name), port);
        }
        return ports;
    }

    /** A probe or Service port (a number or a port name) as this container's port number, or null. */
    Integer resolvePort(Object port) {
        Map<String, Integer> ports = ports();
        if (port instanceof Number n) {
            return ports.containsValue(n.intValue()) ? n.intValue() : null;
        }
        return port == null ? null : ports.get(String.valueOf(port));
    }

    /** The env entries by name (value or valueFrom). */
    Map<String, Map<String, Object>> env() {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Object e : list(spec.get("env"))) {
            env.put(str(map(e).get("name")), map(e));
        }
        return env;
    }

    Map<String, Object> resources() {
        return map(spec.get("resources"));
    }
}
