package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.proto.Topodata.CellInfo;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoBackend;
import io.tessel.topo.etcd.EtcdProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every admin RPC through the real bin/vtctl against bin/vtctld on a real etcd, with the invalid inputs
 * operators hit: bad shard names, overlapping key ranges, unknown vindex types, undefined vindexes,
 * missing keyspaces, changes to or from primary. Each failure exits 1 with the gRPC code on stderr.
 */
@Timeout(300)
class VtctlScriptIT {
    private static final String VSCHEMA = """
            {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
             "tables": {"customer": {"columnVindexes": [{"column": "id", "name": "hash"}]}}}""";

    private String server;
    private Map<String, String> env;

    private String ok(String... args) throws Exception {
        String out = vtctl(args);
        assertTrue(out.startsWith("exit 0"), () -> String.join(" ", args) + " -> " + out);
        return out;
    }

    private void fails(String code, String text, String... args) throws Exception {
        String out = vtctl(args);
        assertTrue(out.startsWith("exit 1") && out.contains(code) && out.contains(text),
                () -> String.join(" ", args) + " -> " + out);
    }

    private String vtctl(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--server";
        all[1] = server;
        System.arraycopy(args, 0, all, 2, args.length);
        return Daemon.run(env, "vtctl", all);
    }

    @Test
    void everyAdminRpcThroughTheCli() throws Exception {
        Path logs = Files.createTempDirectory("tessel-vtctl");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EtcdProcess etcd = EtcdProcess.start()) {
            env = Map.of("TOPO_GLOBAL_SERVER_ADDRESS", etcd.endpoint());
            server = "127.0.0.1:" + port;
            try (Daemon vtctld = Daemon.start("vtctld", logs, env, "vtctld", "--grpc-port", Integer.toString(port),
                    "--http-port", "0");
                 Topo topo = TopoBackend.ETCD2.open(etcd.endpoint(), Topo.DEFAULT_GLOBAL_ROOT, List.of())) {
                vtctld.awaitLog("listening", Duration.ofSeconds(60));
                topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(etcd.endpoint()).setRoot("/vitess/zone1").build());
                keyspacesAndShards();
                vschemas();
                tablets(topo);
                servingGraph();
                deletions();
            }
        }
    }

    private void keyspacesAndShards() throws Exception {
        ok("CreateKeyspace", "customer");
        fails("ALREADY_EXISTS", "customer", "CreateKeyspace", "customer");
        assertTrue(ok("GetKeyspace", "customer").contains("\"name\": \"customer\""));
        fails("NOT_FOUND", "nope", "GetKeyspace", "nope");
        ok("CreateKeyspace", "other");
        assertTrue(ok("GetKeyspaces").contains("\"other\""));
        ok("CreateShard", "customer/-80");
        ok("CreateShard", "customer/80-");
        fails("INVALID_ARGUMENT", "8-x", "CreateShard", "customer/8-x");
        fails("FAILED_PRECONDITION", "overlap", "CreateShard", "customer/40-c0");
        fails("NOT_FOUND", "nope", "CreateShard", "nope/-80");
        assertTrue(ok("GetShard", "customer/-80").contains("\"end\": \"gA==\""));
        String all = ok("FindAllShardsInKeyspace", "customer");
        assertTrue(all.contains("\"-80\"") && all.contains("\"80-\""), all);
    }

    private void vschemas() throws Exception {
        assertTrue(ok("ApplyVSchema", "customer", "--vschema", VSCHEMA, "--dry-run").contains("\"hash\""));
        ok("ApplyVSchema", "customer", "--vschema", VSCHEMA);
        assertTrue(ok("GetVSchema", "customer").contains("column_vindexes"));
        fails("INVALID_ARGUMENT", "hsh", "ApplyVSchema", "customer", "--vschema",
                "{\"sharded\": true, \"vindexes\": {\"h\": {\"type\": \"hsh\"}}}");
        fails("INVALID_ARGUMENT", "undefined", "ApplyVSchema", "customer", "--vschema",
                "{\"sharded\": true, \"tables\": {\"t\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"undefined\"}]}}}");
        fails("NOT_FOUND", "nope", "ApplyVSchema", "nope", "--vschema", "{}");
    }

    private void tablets(Topo topo) throws Exception {
        topo.createTablet(Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(201))
                .setKeyspace("customer").setShard("-80").setType(TabletType.REPLICA).setHostname("127.0.0.1").build());
        assertTrue(ok("GetTablet", "zone1-201").contains("\"REPLICA\""));
        fails("NOT_FOUND", "999", "GetTablet", "zone1-999");
        assertTrue(ok("GetTablets", "--keyspace", "customer", "--shard", "-80").contains("\"uid\": 201"));
        assertTrue(!ok("GetTablets", "--keyspace", "other").contains("\"uid\""));
        assertTrue(ok("ChangeTabletType", "zone1-201", "rdonly").contains("\"RDONLY\""));
        fails("INVALID_ARGUMENT", "PRIMARY", "ChangeTabletType", "zone1-201", "primary");
    }

    private void servingGraph() throws Exception {
        ok("RebuildKeyspaceGraph", "customer");
        assertTrue(ok("GetSrvKeyspaces", "customer").contains("\"-80\""));
        ok("RebuildVSchemaGraph");
        assertTrue(ok("GetSrvVSchema", "zone1").contains("\"customer\""));
    }

    private void deletions() throws Exception {
        fails("FAILED_PRECONDITION", "customer", "DeleteKeyspace", "customer");
        ok("DeleteShards", "--recursive", "--even-if-serving", "customer/80-");
        fails("NOT_FOUND", "80-", "GetShard", "customer/80-");
        ok("DeleteKeyspace", "--recursive", "customer");
        fails("NOT_FOUND", "customer", "GetKeyspace", "customer");
    }
}
