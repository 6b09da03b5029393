package io.tessel.vtgate.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.SqlError;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.vtgate.gateway.StaticGateway;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The executor's meters: statements by plan type, keyspace and tablet type, latency, errors, the plan cache. */
class QueryMetersTest {
    private final FakeQueryService commerce = new FakeQueryService();
    private final StaticGateway gateway = StaticGateway.builder()
            .tablet("commerce", "0", TabletType.PRIMARY, commerce)
            .tablet("commerce", "0", TabletType.REPLICA, commerce)
            .build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Executor executor = new Executor(gateway, gateway, "8.0.40-Tessel", 1 << 26, registry);
    private final Session session = executor.newSession(1, "root", List.of());

    private double queries(String planType, String keyspace, String tabletType) {
        return registry.get("vtgate.queries").tags("plan_type", planType, "keyspace", keyspace, "tablet_type", tabletType)
                .counter().count();
    }

    @Test
    void statementsAreCountedByPlanTypeKeyspaceAndTabletType() {
        executor.useDatabase(session, "commerce");
        executor.query(session, "select a from t where id = 1");
        executor.query(session, "select a from t where id = 2"); // the same plan: a cache hit
        executor.query(session, "begin");
        executor.query(session, "insert into t values (1)");
        executor.query(session, "commit");
        executor.useDatabase(session, "commerce@replica");
        executor.query(session, "select a from t where id = 3");

        assertEquals(2, queries("Route.Unsharded", "commerce", "primary"));
        assertEquals(1, queries("Route.Unsharded", "commerce", "replica"));
        assertEquals(1, queries("Begin", "commerce", "primary"));
        assertEquals(1, queries("Commit", "commerce", "primary"));
        assertEquals(1, queries("Insert.Unsharded", "commerce", "primary"));
        assertEquals(3, registry.get("vtgate.query.duration").tag("plan_type", "Route.Unsharded").timer().count());
        assertEquals(2, registry.get("vtgate.plan.cache.hits").functionCounter().count());
        assertEquals(2, registry.get("vtgate.plan.cache.misses").functionCounter().count());
        assertEquals(2, registry.get("vtgate.plan.cache.entries").gauge().value());
    }

    @Test
    void failedStatementsCountAsStatements() {
        executor.useDatabase(session, "commerce");
        commerce.failNext(VtException.mysql(ErrorCode.ALREADY_EXISTS, 1062, "23000", "Duplicate entry '1'", null));
        assertThrows(VtException.class, () -> executor.query(session, "insert into t values (1)"));
        assertEquals(1, queries("Insert.Unsharded", "commerce", "primary"));
    }

    @Test
    void errorsAreCountedByCodeAndSqlStateClass() {
        QueryMeters meters = executor.meters();
        meters.recordError(VtException.mysql(ErrorCode.ALREADY_EXISTS, 1062, "23000", "Duplicate entry '1'", null));
        meters.recordError(VtException.mysql(ErrorCode.ALREADY_EXISTS, 1062, "23000", "Duplicate entry '2'", null));
        meters.recordError(VtException.of(ErrorCode.INVALID_ARGUMENT, SqlError.ER_PARSE_ERROR, "syntax"));
        meters.recordError(VtException.of(ErrorCode.UNAVAILABLE, "no healthy tablet")); // the code's default: 1105 HY000
        assertEquals(2, registry.get("vtgate.errors").tags("error_code", "ALREADY_EXISTS", "sqlstate_class", "23")
                .counter().count());
        assertEquals(1, registry.get("vtgate.errors").tags("error_code", "INVALID_ARGUMENT", "sqlstate_class", "42")
                .counter().count());
        assertEquals(1, registry.get("vtgate.errors").tags("error_code", "UNAVAILABLE", "sqlstate_class", "HY")
                .counter().count());
    }
}
