package io.tessel.vtcombo.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.proto.Topodata.KeyRange;
import io.tessel.topo.KeyRanges;
import io.tessel.vtcombo.ComboCluster;
import io.tessel.vtcombo.ComboConfig;
import io.tessel.vtgate.vindex.HashVindex;
import io.tessel.vtgate.vindex.Value;
import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The differential end-to-end suite: the same schema ({@code differential/} in the test resources) and
 * the same data ({@link DataSet}) in one plain MariaDB and in a vtcombo cluster with keyspace {@code diff}
 * on 4 shards (hash-sharded tables, a reference table) and the unsharded keyspace {@code diffu}
 * (sequences, an auto-increment table). Every read of {@link QueryCorpus} and {@link QueryGenerator} must
 * give the same result through vtgate as on the plain MariaDB ({@link ResultComparison}), and sessions
 * targeting single shards must together see what the plain MariaDB holds; the queries of
 * {@link ExpectedUnsupported} must be refused with their error; then {@link WriteScript} runs on both and
 * the final table contents must be equal, read from each shard's MariaDB directly, every row on the shard
 * its hash names. Rows for hash keys 1..6 must be on the shards the Vitess reference names. The reads run
 * before the writes (method order). Run time is about 20 s, most of it starting six MariaDBs.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DifferentialIT {
    static final String SHARDED = "diff";
    static final String UNSHARDED = "diffu";
    static final List<String> SHARDS = List.of("-40", "40-80", "80-c0", "c0-");
    /** Every table, qualified. */
    static final List<String> TABLES = List.of("diff.t1", "diff.t2", "diff.t3", "diff.t5", "diff.ref", "diff.hkey",
            "diffu.u1");

    @RegisterExtension
    static MariaDbExtension reference = new MariaDbExtension();

    private static ComboCluster cluster;
    private static Connection gate;
    private static Connection plain;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Path schemaDir = schemaDir();
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir)
                .keyspace(SHARDED, SHARDS).keyspace(UNSHARDED, 1).build());
        for (String ks : List.of(SHARDED, UNSHARDED)) {
            reference.createDatabase(ks);
            try (Connection c = DriverManager.getConnection(reference.jdbcUrl(ks) + "&allowMultiQueries=true")) {
                for (Path file : sqlFiles(schemaDir.resolve(ks))) {
                    Outcome.execute(c, Files.readString(file));
                }
            }
        }
        gate = DriverManager.getConnection(gateUrl(SHARDED));
        plain = DriverManager.getConnection(reference.jdbcUrl(SHARDED));
        load();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gate, plain, cluster}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static Path schemaDir() throws URISyntaxException {
        return Path.of(DifferentialIT.class.getResource("/differential").toURI());
    }

    private static List<Path> sqlFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
    }

    static String gateUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + cluster.address().getPort() + "/" + database
                + "?user=root&password=&useSSL=false&allowPublicKeyRetrieval=true";
    }

    /** The same INSERTs through vtgate and into the plain MariaDB; the reference table directly on each shard. */
    private static void load() throws Exception {
        for (String sql : new DataSet().inserts()) {
            Outcome.execute(gate, sql);
            Outcome.execute(plain, sql);
        }
        for (String shard : SHARDS) {
            try (Connection c = DriverManager.getConnection(cluster.shard(SHARDED, shard).jdbcUrl())) {
                Outcome.execute(c, DataSet.referenceInsert());
            }
        }
        Outcome.execute(plain, DataSet.referenceInsert());
    }

    /** Rows of a query on one shard's MariaDB, queried directly. */
    static List<List<String>> direct(String shard, String sql) throws Exception {
        if (!(directOutcome(SHARDED, shard, sql) instanceof Outcome.Rows rows)) {
            throw new AssertionError(shard + ": " + sql + " failed");
        }
        return rows.rows();
    }

    @Test
    @Order(1)
    void hashKeysOneToSixLandOnTheReferenceShards() throws Exception {
        String insert = "insert into hkey (id, note) values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')";
        assertEquals(new Outcome.Updated(6, 0), Outcome.update(gate, insert));
        Outcome.execute(plain, insert); // so the tables stay alike
        Map<String, List<String>> found = new TreeMap<>();
        for (String shard : SHARDS) {
            found.put(shard, direct(shard, "select id from hkey order by id").stream().map(r -> r.get(0)).toList());
        }
        // the reference: hash(1) = 166b40b44aba4bd6, hash(2) = 06e7ea22ce92708f, hash(3) = 4eb190c9a2fa169c,
        // hash(4) = d2fd8867d50d2dfe, hash(5) = 70bb023c810ca87a, hash(6) = f098480ac4c4be71
        assertEquals(Map.of("-40", List.of("1", "2"), "40-80", List.of("3", "5"), "80-c0", List.of(),
                "c0-", List.of("4", "6")), found);
    }

    @Test
    @Order(2)
    void readsMatchThePlainMariaDb() {
        List<Query> queries = new ArrayList<>(QueryCorpus.all());
        queries.addAll(new QueryGenerator(DataSet.SEED).generate(QueryGenerator.COUNT));
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> perCategory = new TreeMap<>();
        int empty = 0;
        for (Query q : queries) {
            perCategory.merge(q.category(), 1, Integer::sum);
            Outcome want = Outcome.query(plain, q.sql());
            empty += want instanceof Outcome.Rows r && r.rows().isEmpty() ? 1 : 0;
            ResultComparison.check(q, want, Outcome.query(gate, q.sql())).ifPresent(d -> mismatches.add(q + "\n    " + d));
        }
        Map<String, Long> known = new TreeMap<>();
        queries.stream().filter(q -> q.known() != null).forEach(q -> known.merge(q.known().reason(), 1L, Long::sum));
        System.out.println("DifferentialIT: " + queries.size() + " reads (" + empty + " with no rows) " + perCategory
                + "; known differences " + known);
        assertTrue(queries.size() >= 300, "at least 300 reads, got " + queries.size());
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + queries.size() + " reads differ:\n" + String.join("\n", mismatches));
        }
    }

    /** Reads whose answer is the union of every shard's answer, for sessions targeting one shard each. */
    static final List<String> SHARD_TARGETED = List.of(
            "select * from t1 where qty > 3",
            "select id, label, score from t2 where label = 'red' or score is null",
            "select t1.id, t3.seq, t3.note from t1 join t3 on t1.id = t3.t1_id where t1.grp = 'g2'",
            "select * from t3",
            "select id, name from t1 where id = 5",
            "select * from t1 where id in (1, 2, 3, 4, 5, 6)");

    @Test
    @Order(3)
    void shardTargetedReadsAddUpToThePlainMariaDb() throws Exception {
        List<Connection> targeted = new ArrayList<>();
        try {
            for (String shard : SHARDS) {
                targeted.add(DriverManager.getConnection(gateUrl(SHARDED + ":" + shard)));
            }
            List<String> problems = new ArrayList<>();
            for (String sql : SHARD_TARGETED) {
                Outcome.Rows union = null;
                for (Connection c : targeted) {
                    if (!(Outcome.query(c, sql) instanceof Outcome.Rows rows)) {
                        throw new AssertionError("a shard-targeted session failed: " + sql + ": " + Outcome.query(c, sql));
                    }
                    union = union == null ? rows : new Outcome.Rows(union.labels(), union.types(),
                            Stream.concat(union.rows().stream(), rows.rows().stream()).toList());
                }
                ResultComparison.compare(Query.unordered("by_destination", sql), Outcome.query(plain, sql), union)
                        .ifPresent(d -> problems.add(sql + "\n    " + d));
            }
            if (!problems.isEmpty()) {
                fail(problems.size() + " shard-targeted reads differ:\n" + String.join("\n", problems));
            }
        } finally {
            for (Connection c : targeted) {
                c.close();
            }
        }
    }

    @Test
    @Order(4)
    void unsupportedQueriesAreRefusedNotAnsweredWrongly() {
        List<String> problems = new ArrayList<>();
        for (ExpectedUnsupported.Case c : ExpectedUnsupported.CASES) {
            ExpectedUnsupported.check(c, run(plain, c.sql()), run(gate, c.sql()))
                    .ifPresent(p -> problems.add(c.sql() + "\n    " + p));
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + ExpectedUnsupported.CASES.size() + " unsupported cases:\n"
                    + String.join("\n", problems));
        }
    }

    @Test
    @Order(5)
    void writesLeaveTheSameTables() throws Exception {
        List<String> problems = new ArrayList<>();
        for (WriteScript.Step step : WriteScript.STEPS) {
            Outcome want = run(plain, step.sql());
            Outcome got = run(gate, step.sql());
            Optional<String> diff = step.isQuery()
                    ? ResultComparison.compare(Query.ordered("write", step.sql()), want, got)
                    : ResultComparison.compareUpdates(want, got);
            if (step.knownDifference() != null) {
                diff = diff.isPresent() ? Optional.empty()
                        : Optional.of("the known difference is gone, remove its mark: " + step.knownDifference());
            }
            diff.ifPresent(d -> problems.add(step.sql() + "\n    " + d));
        }
        for (String table : TABLES) {
            contentsDiffer(table).ifPresent(d -> problems.add("contents of " + table + "\n    " + d));
        }
        problems.addAll(misplacedRows());
        if (!problems.isEmpty()) {
            fail(problems.size() + " differences after the writes:\n" + String.join("\n", problems));
        }
    }

    private static Outcome run(Connection c, String sql) {
        return sql.startsWith("select") ? Outcome.query(c, sql) : Outcome.update(c, sql);
    }

    /**
     * Compares a table's full contents on the plain MariaDB with what the shards' MariaDBs hold, read
     * directly: the union of the shards for a sharded table, each shard on its own for the reference table.
     */
    private static Optional<String> contentsDiffer(String table) throws Exception {
        String sql = "select * from " + table;
        Outcome want = Outcome.query(plain, sql);
        if (table.startsWith(UNSHARDED + ".")) {
            return ResultComparison.compare(Query.unordered("contents", sql), want, directOutcome(UNSHARDED, "0", sql));
        }
        if (table.equals("diff.ref")) {
            for (String shard : SHARDS) {
                Optional<String> diff = ResultComparison.compare(Query.unordered("contents", sql), want,
                        directOutcome(SHARDED, shard, sql));
                if (diff.isPresent()) {
                    return Optional.of("shard " + shard + ": " + diff.get());
                }
            }
            return Optional.empty();
        }
        Outcome.Rows union = null;
        for (String shard : SHARDS) {
            if (!(directOutcome(SHARDED, shard, sql) instanceof Outcome.Rows rows)) {
                return Optional.of("shard " + shard + " failed");
            }
            union = union == null ? rows : new Outcome.Rows(union.labels(), union.types(),
                    Stream.concat(union.rows().stream(), rows.rows().stream()).toList());
        }
        return ResultComparison.compare(Query.unordered("contents", sql), want, union);
    }

    /** Rows of the hash-sharded tables that are not on the shard their primary vindex value hashes to. */
    private static List<String> misplacedRows() throws Exception {
        List<String> out = new ArrayList<>();
        HashVindex hash = new HashVindex("hash");
        for (var table : Map.of("t1", "id", "t2", "id", "t3", "t1_id", "t5", "id", "hkey", "id").entrySet()) {
            for (String shard : SHARDS) {
                KeyRange range = KeyRanges.parseShardName(shard);
                for (List<String> row : direct(shard, "select " + table.getValue() + " from " + table.getKey())) {
                    if (!KeyRanges.contains(range, hash.hash(Value.ofInt64(Long.parseLong(row.get(0)))))) {
                        out.add(table.getKey() + " row " + table.getValue() + " = " + row.get(0) + " is on shard " + shard);
                    }
                }
            }
        }
        return out;
    }

    private static Outcome directOutcome(String keyspace, String shard, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.shard(keyspace, shard).jdbcUrl())) {
            return Outcome.query(c, sql);
        }
    }
}
