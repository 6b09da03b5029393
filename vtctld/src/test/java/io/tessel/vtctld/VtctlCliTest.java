package io.tessel.vtctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vtctldata.CreateShardResponse;
import io.tessel.topo.TabletAliases;
import io.tessel.topo.Topo;
import io.tessel.topo.memory.InMemoryTopoConn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vtctl CLI run in-process against a {@link VtctldServer} on a free port over an in-memory topology. */
class VtctlCliTest {
    private static final String VSCHEMA = """
            {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
             "tables": {"user": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""";

    /** What one vtctl run returned and printed. */
    record Run(int exitCode, String out, String err) {}

    private Topo topo;
    private VtctldServer server;

    @BeforeEach
    void setUp() throws Exception {
        topo = new InMemoryTopoConn().newTopo("zone1");
        server = VtctldServer.start(topo, "127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() {
        server.close();
        topo.close();
    }

    private Run vtctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = Stream.concat(Stream.of("--server", "127.0.0.1:" + server.port()), Stream.of(args))
                .toArray(String[]::new);
        int code = Vtctl.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run ok(String... args) {
        Run run = vtctl(args);
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    @Test
    void createsKeyspaceShardsAndVSchemaAndReadsThemBack() throws Exception {
        assertTrue(ok("CreateKeyspace", "commerce").out().contains("\"name\": \"commerce\""));
        CreateShardResponse.Builder low = CreateShardResponse.newBuilder();
        JsonFormat.parser().merge(ok("CreateShard", "commerce/-80").out(), low);
        assertEquals("-80", low.getShard().getName());
        assertEquals("gA==", ok("CreateShard", "commerce/80-").out().replaceAll("(?s).*\"start\": \"([^\"]*)\".*", "$1"));
        Run applied = ok("ApplyVSchema", "commerce", "--vschema", VSCHEMA);
        Vschema.Keyspace expected = VSchemaCommands.parseVSchema(VSCHEMA);
        assertEquals(expected, VSchemaCommands.parseVSchema(applied.out()));
        assertEquals(expected, VSchemaCommands.parseVSchema(ok("GetVSchema", "commerce").out()));
        assertEquals(expected, topo.getSrvVSchema("zone1").getKeyspacesOrThrow("commerce"));
        assertTrue(ok("GetVSchema", "commerce").out().contains("\"column_vindexes\""), "proto field names");
        ok("RebuildKeyspaceGraph", "commerce");
        assertTrue(ok("GetSrvKeyspaces", "commerce").out().contains("\"zone1\""));
        assertTrue(ok("FindAllShardsInKeyspace", "commerce").out().contains("\"80-\""));
    }

    @Test
    void badShardNameFailsWithTheGrpcCodeOnStderr() {
        ok("CreateKeyspace", "commerce");
        Run run = vtctl("CreateShard", "commerce/xyz");
        assertEquals(Vtctl.EXIT_FAILURE, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("CreateShard failed: INVALID_ARGUMENT: invalid shard name: 'xyz'"), run.err());
        Run missing = vtctl("GetKeyspace", "nope");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("NOT_FOUND: keyspace 'nope' not found"), missing.err());
        Run noSlash = vtctl("CreateShard", "commerce");
        assertEquals(1, noSlash.exitCode());
        assertTrue(noSlash.err().contains("INVALID_ARGUMENT: invalid shard 'commerce'"), noSlash.err());
    }

    @Test
    void vschemaFileTakesCamelCaseAndDryRunStoresNothing(@TempDir Path dir) throws Exception {
        ok("CreateKeyspace", "commerce");
        Path file = dir.resolve("vschema.json");
        Files.writeString(file, VSCHEMA.replace("column_vindexes", "columnVindexes"));
        Run dry = ok("ApplyVSchema", "commerce", "--vschema-file", file.toString(), "--dry-run");
        assertEquals(VSchemaCommands.parseVSchema(VSCHEMA), VSchemaCommands.parseVSchema(dry.out()));
        assertEquals(Vschema.Keyspace.getDefaultInstance(), topo.getVSchema("commerce"));
        Run bad = vtctl("ApplyVSchema", "commerce", "--vschema", "{\"vindexes\": {\"h\": {\"type\": \"hsh\"}}}");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("INVALID_ARGUMENT: invalid vschema: vindex 'h' has unknown vindex type 'hsh'"),
                bad.err());
        assertEquals(1, vtctl("ApplyVSchema", "commerce").exitCode(), "--vschema or --vschema-file is required");
    }

    @Test
    void tabletCommandsPrintTabletsAndChangeTypes() {
        ok("CreateShard", "--include-parent", "commerce/0");
        topo.createTablet(Tablet.newBuilder().setAlias(TabletAliases.of("zone1", 101)).setKeyspace("commerce")
                .setShard("0").setType(TabletType.REPLICA).build());
        assertTrue(ok("GetTablet", "zone1-101").out().contains("\"type\": \"REPLICA\""));
        assertTrue(ok("GetTablets", "--keyspace", "commerce", "--tablet-type", "replica").out().contains("\"uid\": 101"));
        assertTrue(ok("ChangeTabletType", "zone1-101", "rdonly").out().contains("\"type\": \"RDONLY\""));
        assertEquals(TabletType.RDONLY, topo.getTablet(TabletAliases.of("zone1", 101)).value().getType());
        Run primary = vtctl("ChangeTabletType", "zone1-101", "primary");
        assertEquals(1, primary.exitCode());
        assertTrue(primary.err().contains("INVALID_ARGUMENT"), primary.err());
        assertTrue(vtctl("GetTablet", "zone1").err().contains("invalid tablet alias"));
    }

    @Test
    void usageErrorsAndUnreachableServersExitWithOne() throws Exception {
        assertEquals(1, Vtctl.run(new String[] {"GetKeyspaces"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())), "--server is required");
        assertEquals(1, vtctl("NoSuchCommand").exitCode());
        assertEquals(1, vtctl().exitCode());
        int port = server.port();
        server.close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, Vtctl.run(new String[] {"--server", "127.0.0.1:" + port, "GetKeyspaces"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("GetKeyspaces failed: UNAVAILABLE"), err.toString());
        server = VtctldServer.start(topo, "127.0.0.1", 0); // for tearDown
    }

    @Test
    void serverReflectionListsTheVtctldService() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            CompletableFuture<List<String>> services = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                    .serverReflectionInfo(new StreamObserver<ServerReflectionResponse>() {
                        @Override
                        public void onNext(ServerReflectionResponse response) {
                            List<String> names = new ArrayList<>();
                            response.getListServicesResponse().getServiceList().stream()
                                    .map(ServiceResponse::getName).forEach(names::add);
                            services.complete(names);
                        }

                        @Override
                        public void onError(Throwable t) {
                            services.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {}
                    });
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            assertTrue(services.get(10, TimeUnit.SECONDS).contains("vtctlservice.Vtctld"));
            requests.onCompleted();
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void snakeAndCamelCaseParseToTheSameVSchema() {
        String snake = """
                {"sharded": true, "vindexes": {"h": {"type": "hash"}},
                 "tables": {"t": {"column_vindexes": [{"column": "id", "name": "h"}],
                                  "auto_increment": {"column": "id", "sequence": "s"}, "column_list_authoritative": true}}}""";
        String camel = snake.replace("column_vindexes", "columnVindexes").replace("auto_increment", "autoIncrement")
                .replace("column_list_authoritative", "columnListAuthoritative");
        assertEquals(VSchemaCommands.parseVSchema(snake), VSchemaCommands.parseVSchema(camel));
    }

    @Test
    void unknownJsonFieldsAndMalformedJsonAreInvalidArguments() {
        VtException typo = assertThrows(VtException.class, () -> VSchemaCommands.parseVSchema("{\"shardd\": true}"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, typo.code());
        assertTrue(typo.getMessage().contains("shardd"), typo.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(VtException.class, () -> VSchemaCommands.parseVSchema("{\"sharded\": ")).code());
    }
}
