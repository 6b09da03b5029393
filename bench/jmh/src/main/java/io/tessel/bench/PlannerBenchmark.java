package io.tessel.bench;

import io.tessel.common.errors.VtException;
import io.tessel.vtgate.engine.SequenceCache;
import io.tessel.vtgate.gateway.ServingGraph;
import io.tessel.vtgate.plan.Plan;
import io.tessel.vtgate.plan.PlanCache;
import io.tessel.vtgate.plan.PlanContext;
import io.tessel.vtgate.plan.PlanKey;
import io.tessel.vtgate.plan.Planner;
import io.tessel.vtgate.sql.NormalizedQuery;
import io.tessel.vtgate.sql.Normalizer;
import io.tessel.vtgate.vindex.VSchema;
import io.tessel.vtgate.vindex.VSchemaLoader;
import io.tessel.vtgate.vindex.VindexRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * vtgate's query front end, per statement: {@code cached_*} is what a known query shape costs (normalize,
 * then a plan-cache hit), {@code full_*} what a new one costs (normalize, parse and plan, no cache). Each
 * query comes in {@value #VARIANTS} spellings with different literals and one normalized shape, used in turn,
 * so the normalizer sees varying values as it would in production. Keyspace {@code user}: 4 shards, {@code hash}
 * on {@code user.id} and {@code user_extra.user_id}, no sequences. Run by {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlannerBenchmark {
    static final int VARIANTS = 16;
    static final String KEYSPACE = "user";
    static final String TARGET = "user@primary";
    static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {
               "user": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "user_extra": {"column_vindexes": [{"column": "user_id", "name": "hash"}]}}}""";

    static final String[] POINT = variants(i -> "select id, name from user where id = " + (5 + i));
    static final String[] IN = variants(i -> "select * from user where id in (" + (3 * i + 1) + ", " + (3 * i + 2)
            + ", " + (3 * i + 3) + ")");
    static final String[] SCATTER_ORDER_LIMIT = variants(i -> "select id, name from user order by name limit " + (10 + i));
    static final String[] INSERT3 = variants(i -> "insert into user_extra(user_id, extra) values (" + (3 * i + 1)
            + ", 'a" + i + "'), (" + (3 * i + 2) + ", 'b" + i + "'), (" + (3 * i + 3) + ", 'c" + i + "')");
    static final List<String[]> QUERIES = List.of(POINT, IN, SCATTER_ORDER_LIMIT, INSERT3);

    private PlanContext context;
    private Planner planner;
    private PlanCache<Plan> cache;
    private Function<PlanKey, Plan> planFromKey;
    private long setupMisses;
    private int next;

    /**
     * Builds the context and fills the cache with the four shapes. Fails when a query's spellings do not share
     * one normalized shape (the cached benchmark would then miss). A query that does not plan is left out of the
     * cache, so only its own two benchmarks fail, with the planner's error.
     */
    @Setup(Level.Trial)
    public void setUp() {
        context = new PlanContext(KEYSPACE, vschema(), graph());
        planner = new Planner(new SequenceCache());
        cache = new PlanCache<>();
        planFromKey = key -> planner.plan(key.normalizedSql(), context);
        for (String[] query : QUERIES) {
            String shape = Normalizer.normalize(query[0]).sql();
            for (String sql : query) {
                NormalizedQuery normalized = Normalizer.normalize(sql);
                if (!normalized.sql().equals(shape) || normalized.bindVars().isEmpty()) {
                    throw new IllegalStateException("'" + sql + "' normalizes to '" + normalized.sql()
                            + "', not to the shape '" + shape + "' of its first spelling");
                }
            }
            try {
                cache.get(new PlanKey(TARGET, shape, 0), planFromKey);
            } catch (VtException e) {
                // not cached: cached_<query> and full_<query> throw this error when they run
            }
        }
        setupMisses = cache.misses();
    }

    /** Fails the trial when a cached benchmark ran the planner: every lookup after setUp must be a hit. */
    @TearDown(Level.Trial)
    public void checkOnlyHits() {
        if (cache.misses() != setupMisses) {
            throw new IllegalStateException("plan cache missed " + (cache.misses() - setupMisses)
                    + " times after setup; the cached benchmarks measured planning");
        }
    }

    @Benchmark
    public Plan cached_point(Blackhole bh) {
        return cached(POINT, bh);
    }

    @Benchmark
    public Plan cached_in(Blackhole bh) {
        return cached(IN, bh);
    }

    @Benchmark
    public Plan cached_scatterOrderLimit(Blackhole bh) {
        return cached(SCATTER_ORDER_LIMIT, bh);
    }

    @Benchmark
    public Plan cached_insert3(Blackhole bh) {
        return cached(INSERT3, bh);
    }

    @Benchmark
    public Plan full_point(Blackhole bh) {
        return full(POINT, bh);
    }

    @Benchmark
    public Plan full_in(Blackhole bh) {
        return full(IN, bh);
    }

    @Benchmark
    public Plan full_scatterOrderLimit(Blackhole bh) {
        return full(SCATTER_ORDER_LIMIT, bh);
    }

    @Benchmark
    public Plan full_insert3(Blackhole bh) {
        return full(INSERT3, bh);
    }

    private Plan cached(String[] query, Blackhole bh) {
        NormalizedQuery normalized = Normalizer.normalize(nextOf(query));
        bh.consume(normalized.bindVars());
        return cache.get(new PlanKey(TARGET, normalized.sql(), 0), planFromKey);
    }

    private Plan full(String[] query, Blackhole bh) {
        NormalizedQuery normalized = Normalizer.normalize(nextOf(query));
        bh.consume(normalized.bindVars());
        return planner.plan(normalized.sql(), context);
    }

    private String nextOf(String[] query) {
        next = (next + 1) & (VARIANTS - 1);
        return query[next];
    }

    static String[] variants(IntFunction<String> spelling) {
        String[] out = new String[VARIANTS];
        for (int i = 0; i < VARIANTS; i++) {
            out[i] = spelling.apply(i);
        }
        return out;
    }

    static VSchema vschema() {
        VSchemaLoader loader = new VSchemaLoader(VindexRegistry.builtin());
        return new VSchema(Map.of(KEYSPACE, loader.load(KEYSPACE, VSCHEMA)));
    }

    /** Keyspace {@code user} on four shards, as PlanGoldenTest's graph. */
    static ServingGraph graph() {
        List<String> shards = List.of("-40", "40-80", "80-c0", "c0-");
        return new ServingGraph() {
            @Override
            public Set<String> keyspaces() {
                return Set.of(KEYSPACE);
            }

            @Override
            public Optional<List<String>> shards(String keyspace) {
                return KEYSPACE.equals(keyspace) ? Optional.of(shards) : Optional.empty();
            }
        };
    }
}
