package io.tessel.vtgate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessel.common.errors.VtException;
import io.tessel.vtgate.engine.SequenceCache;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.vindex.KeyspaceSchema;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden plan tests, as Vitess's planner tests: each fixture file under {@code src/test/resources/plan/} is
 * a JSON array of {@code {comment, query, plan | error}} planned against {@code vschema.json} (keyspace
 * {@code user} on 4 shards, {@code main} unsharded; default keyspace {@code user}). On a mismatch the actual
 * file is written under {@code target/plan-actual/}; {@code -Dplan.update=true} rewrites the fixtures.
 */
class PlanGoldenTest {
    static final List<String> FILES = List.of("select_cases.json", "dml_cases.json", "unsupported_cases.json",
            "lookup_cases.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCE = Path.of("src/test/resources/plan");
    private static final Map<String, ArrayNode> ACTUAL = new LinkedHashMap<>();
    private static boolean hasMismatch;

    static PlanContext context(String defaultKeyspace) {
        return new PlanContext(defaultKeyspace, vschema(), graph());
    }

    static VSchema vschema() {
        try (InputStream in = PlanGoldenTest.class.getResourceAsStream("/plan/vschema.json")) {
            JsonNode root = JSON.readTree(in);
            Map<String, KeyspaceSchema> keyspaces = new LinkedHashMap<>();
            VSchemaLoader loader = new VSchemaLoader(VindexRegistry.builtin());
            root.fields().forEachRemaining(e -> keyspaces.put(e.getKey(), loader.load(e.getKey(), e.getValue().toString())));
            return new VSchema(keyspaces);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ServingGraph graph() {
        Map<String, List<String>> shards = Map.of("user", List.of("-40", "40-80", "80-c0", "c0-"), "main", List.of("0"));
        return new ServingGraph() {
            @Override
            public Set<String> keyspaces() {
                return shards.keySet();
            }

            @Override
            public Optional<List<String>> shards(String keyspace) {
                return Optional.ofNullable(shards.get(keyspace));
            }
        };
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = PlanGoldenTest.class.getResourceAsStream("/plan/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing fixture " + file);
                }
                for (JsonNode c : JSON.readTree(in)) {
                    out.add(Arguments.of(file, c.path("comment").asText(""), c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void planMatchesFixture(String file, String comment, JsonNode fixture) {
        String query = fixture.get("query").asText();
        ObjectNode actual = JSON.createObjectNode();
        actual.put("comment", comment);
        actual.put("query", query);
        try {
            String[] target = fixture.path("keyspace").asText("user").split(":", 2);
            PlanContext context = new PlanContext(target[0], target.length > 1 ? target[1] : "", vschema(), graph());
            Plan plan = new Planner(new SequenceCache()).plan(query, context);
            actual.set("plan", plan.root().describeTree().toJson());
        } catch (VtException e) {
            actual.put("error", e.errno() + ": " + e.getMessage());
        }
        if (fixture.has("keyspace")) {
            actual.put("keyspace", fixture.get("keyspace").asText());
        }
        ACTUAL.computeIfAbsent(file, f -> JSON.createArrayNode()).add(actual);
        JsonNode expected = fixture.has("plan") ? fixture.get("plan") : fixture.get("error");
        JsonNode got = actual.has("plan") ? actual.get("plan") : actual.get("error");
        if (!got.equals(expected)) {
            hasMismatch = true;
            if (!Boolean.getBoolean("plan.update")) {
                fail(query + "\nexpected: " + expected.toPrettyString() + "\nactual:   " + got.toPrettyString());
            }
        }
        assertEquals(true, true);
    }

    @AfterAll
    static void writeActual() throws IOException {
        if (!hasMismatch) {
            return;
        }
        Path dir = Boolean.getBoolean("plan.update") ? SOURCE : Path.of("target/plan-actual");
        Files.createDirectories(dir);
        for (Map.Entry<String, ArrayNode> e : ACTUAL.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e.getValue()) + "\n");
        }
    }
}
