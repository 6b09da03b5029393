package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.vtgate.VtGateConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** vtcombo's flags turned into a cluster configuration, without starting anything. */
class VtComboTest {
    @TempDir
    Path dir;

    private static ComboConfig config(String... args) throws Exception {
        VtCombo combo = new VtCombo();
        new CommandLine(combo).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return combo.config();
    }

    private static KeyspaceSpec keyspace(ComboConfig config, String name) {
        return config.keyspaces().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    private void write(String file, String text) throws Exception {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    @Test
    void noFlagsIsTheBuiltInExampleCommerceUnshardedAndCustomerOnTwoShards() throws Exception {
        ComboConfig config = config();
        assertEquals(List.of("commerce", "customer"), config.keyspaces().stream().map(KeyspaceSpec::name).toList());
        assertEquals(VtGateConfig.DEFAULT_PORT, config.vtgate().port());
        KeyspaceSpec commerce = keyspace(config, "commerce");
        assertEquals(List.of("0"), commerce.shards());
        assertFalse(commerce.vschema().getSharded());
        assertEquals("sequence", commerce.vschema().getTablesOrThrow("customer_seq").getType());
        assertTrue(String.join("", commerce.sqlScripts()).contains("create table if not exists product"));
        KeyspaceSpec customer = keyspace(config, "customer");
        assertEquals(List.of("-80", "80-"), customer.shards());
        assertTrue(customer.vschema().getSharded());
        assertEquals("commerce.order_seq", customer.vschema().getTablesOrThrow("corder").getAutoIncrement().getSequence());
        assertEquals("hash", customer.vschema().getVindexesOrThrow("hash").getType());
        assertEquals(3, config.shardCount());
    }

    @Test
    void tlsAndLockWaitFlags() throws Exception {
        assertEquals(java.time.Duration.ofSeconds(2), config("--queryserver-config-lock-wait-timeout", "2s").lockWaitTimeout());
        assertEquals(java.time.Duration.ZERO, config().lockWaitTimeout(), "the tablets' default");
        assertFalse(config().vtgate().tls().isEnabled());
        ComboConfig tls = config("--mysql-server-ssl-self-signed", "--data-dir", dir.toString());
        assertTrue(tls.vtgate().tls().isEnabled());
        assertTrue(Files.readString(dir.resolve("cert.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
        ComboConfig required = config("--mysql-server-require-secure-transport", "--data-dir", dir.resolve("r").toString());
        assertTrue(required.vtgate().tls().requireSecureTransport(), "a self-signed certificate when none is given");
        assertTrue(Files.exists(dir.resolve("r/key.pem")));
    }

    @Test
    void mysqlPortAndItsAliasPortSetVtgatesPort() throws Exception {
        assertEquals(1234, config("--mysql-port", "1234").vtgate().port());
        assertEquals(1235, config("--port", "1235").vtgate().port());
    }

    @Test
    void schemaDirWithKeyspacesAndShardCounts() throws Exception {
        write("ks1/02-second.sql", "create table b (id int);");
        write("ks1/01-first.sql", "create table a (id int);");
        write("ks1/notes.txt", "not sql");
        write("ks1/vschema.json", """
                {"sharded": true, "vindexes": {"xx": {"type": "xxhash"}},
                 "tables": {"a": {"columnVindexes": [{"column": "id", "name": "xx"}]}}}""");
        write("ks2/01.sql", "create table c (id int);");
        ComboConfig config = config("--schema-dir", dir.toString(), "--keyspaces", "ks1,ks2,ks3", "--num-shards", "4,1,3");
        KeyspaceSpec ks1 = keyspace(config, "ks1");
        assertEquals(List.of("-40", "40-80", "80-c0", "c0-"), ks1.shards());
        assertEquals(List.of("create table a (id int);", "create table b (id int);"), ks1.sqlScripts(), "in name order");
        assertEquals("xxhash", ks1.vschema().getVindexesOrThrow("xx").getType());
        KeyspaceSpec ks2 = keyspace(config, "ks2");
        assertEquals(List.of("0"), ks2.shards());
        assertNull(ks2.vschema(), "no vschema.json: none");
        KeyspaceSpec ks3 = keyspace(config, "ks3");
        assertEquals(List.of("-55", "55-aa", "aa-"), ks3.shards());
        assertEquals(List.of(), ks3.sqlScripts(), "no directory: an empty database");
    }

    @Test
    void schemaDirAloneServesEachOfItsKeyspacesOnOneShard() throws Exception {
        write("b/t.sql", "select 1;");
        write("a/t.sql", "select 1;");
        ComboConfig config = config("--schema-dir", dir.toString());
        assertEquals(List.of("a", "b"), config.keyspaces().stream().map(KeyspaceSpec::name).toList());
        assertEquals(List.of(List.of("0"), List.of("0")), config.keyspaces().stream().map(KeyspaceSpec::shards).toList());
    }

    @Test
    void singleKeyspaceFlagsStillWork() throws Exception {
        ComboConfig sbtest = config("--keyspace", "sbtest");
        assertEquals(1, sbtest.keyspaces().size());
        assertEquals(List.of("0"), keyspace(sbtest, "sbtest").shards());
        assertEquals(List.of(), keyspace(sbtest, "sbtest").sqlScripts(), "not in the example: no schema");

        write("schema.sql", "create table t (id int);");
        ComboConfig withFile = config("--keyspace", "app", "--shards", "-80,80-", "--schema-file",
                dir.resolve("schema.sql").toString());
        KeyspaceSpec app = keyspace(withFile, "app");
        assertEquals(List.of("-80", "80-"), app.shards());
        assertEquals(List.of("create table t (id int);"), app.sqlScripts());
        assertNull(app.vschema());

        KeyspaceSpec commerce = keyspace(config("--keyspace", "commerce"), "commerce");
        assertFalse(commerce.sqlScripts().isEmpty(), "the example's keyspace keeps its example schema");
    }

    @Test
    void conflictingOrMismatchedFlagsAreErrors() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> config("--keyspace", "a", "--keyspaces", "b"));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        IllegalArgumentException counts = assertThrows(IllegalArgumentException.class,
                () -> config("--keyspaces", "a,b", "--num-shards", "2"));
        assertTrue(counts.getMessage().contains("--num-shards gives 1 counts for 2 keyspaces"), counts.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config("--keyspaces", "a", "--num-shards", "0"));
        assertThrows(IllegalArgumentException.class, () -> config("--keyspace", "a", "--shards", "-80,8x-"));
        assertThrows(IllegalArgumentException.class, () -> config("--keyspaces", "a,a"));
    }

    @Test
    void badVSchemaStopsTheStartNamingTheFile() throws Exception {
        write("ks/vschema.json", """
                {"sharded": true, "tables": {"t": {"column_vindexes": [{"column": "id", "name": "missing"}]}}}""");
        StringWriter err = new StringWriter();
        CommandLine cl = VtCombo.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--schema-dir", dir.toString());
        assertEquals(2, code);
        String message = err.toString();
        assertTrue(message.startsWith("vtcombo: " + dir.resolve("ks/vschema.json") + ": "), message);
        assertTrue(message.contains("missing"), message);

        write("ks/vschema.json", "{\"sharded\": tru");
        IllegalArgumentException json = assertThrows(IllegalArgumentException.class, () -> config("--schema-dir", dir.toString()));
        assertTrue(json.getMessage().contains("vschema.json") && json.getMessage().contains("invalid vschema JSON"),
                json.getMessage());
    }

    @Test
    void evenShardsFollowVitessKeyRanges() {
        assertEquals(List.of("0"), KeyspaceSpec.evenShards(1));
        assertEquals(List.of("-80", "80-"), KeyspaceSpec.evenShards(2));
        assertEquals(List.of("-40", "40-80", "80-c0", "c0-"), KeyspaceSpec.evenShards(4));
        assertEquals(List.of("-55", "55-aa", "aa-"), KeyspaceSpec.evenShards(3));
        assertEquals(8, KeyspaceSpec.evenShards(8).size());
        assertThrows(IllegalArgumentException.class, () -> KeyspaceSpec.evenShards(0));
    }
}
