package io.tessel.vtgate.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plan node described for EXPLAIN and golden plan tests, in the shape of Vitess's
 * {@code PrimitiveDescription}: operator type ("Route", "Aggregate", "Join"...), variant (the opcode, e.g.
 * "EqualUnique"), the keyspace for leaves, ordered extra properties, and the inputs. Immutable.
 */
public record PlanDescription(String operator, String variant, String keyspace, Map<String, Object> other,
        List<PlanDescription> inputs) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PlanDescription {
        Objects.requireNonNull(operator, "operator");
        variant = variant == null ? "" : variant;
        keyspace = keyspace == null ? "" : keyspace;
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
        inputs = List.copyOf(inputs);
    }

    /** A description without inputs; properties keep the order given (use a LinkedHashMap or Map.of for one). */
    public static PlanDescription of(String operator, String variant, String keyspace, Map<String, Object> other) {
        return new PlanDescription(operator, variant, keyspace, other, List.of());
    }

    public PlanDescription withInputs(List<PlanDescription> children) {
        return new PlanDescription(operator, variant, keyspace, other, children);
    }

    /**
     * The JSON form used by golden plan fixtures: {@code {"OperatorType", "Variant", "Keyspace", ...other,
     * "Inputs"}}; empty variant/keyspace and empty inputs are left out.
     */
    public JsonNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("OperatorType", operator);
        if (!variant.isEmpty()) {
            node.put("Variant", variant);
        }
        if (!keyspace.isEmpty()) {
            node.put("Keyspace", keyspace);
        }
        other.forEach((key, value) -> node.set(key, JSON.valueToTree(value)));
        if (!inputs.isEmpty()) {
            ArrayNode array = node.putArray("Inputs");
            inputs.forEach(input -> array.add(input.toJson()));
        }
        return node;
    }

    /** An indented text tree, one node per line with its properties, for {@code VEXPLAIN PLAN} output. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        appendText(out, 0);
        return out.toString();
    }

    private void appendText(StringBuilder out, int depth) {
        out.append("  ".repeat(depth)).append(operator);
        if (!variant.isEmpty()) {
            out.append(' ').append(variant);
        }
        if (!keyspace.isEmpty()) {
            out.append(" (").append(keyspace).append(')');
        }
        other.forEach((key, value) -> out.append(' ').append(key).append('=').append(value));
        out.append('\n');
        inputs.forEach(input -> input.appendText(out, depth + 1));
    }
}
