package io.tessel.vtcombo.ops;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading YAML files as plain maps and lists, and walking them null-safely. Stateless. */
final class Tree {
    private static final YAMLMapper YAML = new YAMLMapper();

    private Tree() {}

    /** Every document of a (multi-document) YAML file; empty documents are skipped. */
    static List<Map<String, Object>> readAll(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> it = YAML.readerForMapOf(Object.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    /** The value under these keys, or null when any step is missing or not a map. */
    static Object at(Object node, String... keys) {
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(key);
        }
        return node;
    }

    /** The node as a map; an empty map when it is missing or not a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The node as a list; an empty list when it is missing or not a list. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** The node's items as strings (a YAML list of scalars), empty when missing. */
    static List<String> strings(Object node) {
        return list(node).stream().map(String::valueOf).toList();
    }

    /** The node as a string map (labels, selectors, annotations). */
    static Map<String, String> stringMap(Object node) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        map(node).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    static String str(Object node) {
        return node == null ? null : String.valueOf(node);
    }
}
