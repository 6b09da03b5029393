package io.tessel.vtcombo.differential;

import java.util.List;
import java.util.Optional;

/**
 * The statements vtgate is expected to refuse with ER_NOT_SUPPORTED_YET (1235) on this schema, each with
 * the message it must give. The plain MariaDB answers every SELECT here, so each case shows vtgate
 * refusing a valid query rather than answering it wrongly. Any other read that gets 1235 is a failure of
 * the suite. The DML cases change nothing on the plain MariaDB (they set columns to their own values).
 */
final class ExpectedUnsupported {
    private static final int ER_NOT_SUPPORTED_YET = 1235;

    /** One refused statement and the text its error message must contain. */
    record Case(String sql, String message) {}

    static final List<Case> CASES = List.of(
            new Case("select id from t1 where exists (select 1 from t2 where t2.t1_id = t1.id)",
                    "cross-shard correlated subquery"),
            new Case("select count(*) + 1 from t1", // the message shows the literal as its bind variable (:vtg1)
                    "an expression over aggregate functions (count(*) + "),
            new Case("select std(qty) from t1", "aggregate function STD across shards"),
            new Case("select * from t1 group by grp", "SELECT * with aggregates or GROUP BY across shards"),
            new Case("select count(*) from t1 join t2 on t1.id = t2.t1_id",
                    "aggregates, GROUP BY or DISTINCT over a join across shards"),
            new Case("select distinct t1.grp from t1 join t2 on t1.id = t2.t1_id",
                    "aggregates, GROUP BY or DISTINCT over a join across shards"),
            new Case("select * from t1 join t2 on t1.id = t2.t1_id", "SELECT * over a join across shards"),
            new Case("select qty from t1 join t2 on t1.id = t2.t1_id",
                    "unqualified column 'qty' in a join across shards"),
            new Case("select id from t1 union select id from t2 union all select id from t5",
                    "mixing UNION and UNION ALL across shards"),
            new Case("select * from (select id from t1) t", "derived tables on a sharded keyspace"),
            new Case("select grp, count(*) from t1 group by grp order by id",
                    "ORDER BY id on an aggregated query across shards"),
            new Case("select count(distinct qty), count(distinct grp) from t1",
                    "DISTINCT aggregates of different expressions across shards"),
            new Case("select t1.id, t2.id from t2 right join t1 on t1.id = t2.t1_id", "RIGHT JOIN across shards"),
            new Case("select t1.id, t1.qty + t2.score from t1 join t2 on t1.id = t2.t1_id",
                    "an expression over columns of several tables (t1.qty + t2.score) in a join across shards"),
            new Case("select flag, count(*) from t1 group by flag with rollup", "GROUP BY ... WITH ROLLUP across shards"),
            new Case("update t1 set id = 1 where id = 1", "You can't update primary vindex columns"),
            new Case("update t2 set label = label limit 2", "multi shard UPDATE with LIMIT or ORDER BY"));

    private ExpectedUnsupported() {}

    /**
     * Empty when vtgate refused the statement with 1235 and the expected message and the plain MariaDB
     * answered it, else what went wrong.
     */
    static Optional<String> check(Case c, Outcome reference, Outcome gate) {
        if (reference instanceof Outcome.Failure f) {
            return Optional.of("the plain MariaDB refuses it too (a bad case): " + f);
        }
        if (!(gate instanceof Outcome.Failure f)) {
            return Optional.of("vtgate answered instead of refusing: " + gate);
        }
        if (f.code() != ER_NOT_SUPPORTED_YET || !f.message().contains(c.message())) {
            return Optional.of("expected error 1235 with '" + c.message() + "', vtgate gave " + f);
        }
        return Optional.empty();
    }
}
