package io.tessel.vtcombo.differential;

import java.util.List;

/**
 * The writes run on both servers after the reads, in order, each compared by its affected-row count and
 * insert id (or error), the queries among them by their result; afterwards every table's contents are
 * compared. Covers multi-row INSERTs spread over shards, INSERTs numbered by a sequence (with LAST_INSERT_ID
 * after each), explicit ids on a sequence-numbered table, INSERT IGNORE and ON DUPLICATE KEY UPDATE,
 * UPDATE and DELETE by the vindex column, by IN lists and scattered, writes to the unsharded keyspace, and
 * transactions over several shards, rolled back and committed.
 */
final class WriteScript {
    /**
     * One statement; {@code isQuery} when it returns rows; {@code knownDifference} null, or how vtgate is known
     * to answer differently (the step then must still differ, see {@link ResultComparison#check}).
     */
    record Step(String sql, boolean isQuery, String knownDifference) {}

    private static final String LAST_ID = "select last_insert_id()";

    static final List<Step> STEPS = List.of(
            dml("insert into t1 (id, name, grp, amount, qty, score, created, flag) values "
                    + "(1001, 'new', 'g1', 1.25, 3, 0.5, '2025-01-01', 1), (1002, 'NEW', null, -7.75, null, null, null, 0), "
                    + "(-1001, 'Émile', 'g5', 0.00, -1, -2.25, '2024-02-29', null), (1003, null, 'g2', 99999999.99, -10, 1e3, '2025-02-01', 1), "
                    + "(1004, 'abc', 'g3', -0.01, 10, -0.25, '2025-03-01', 0), (1005, 'ABC ', 'g4', 12.00, 0, 0, '2025-04-01', 1)"),
            dml("insert into t5 (t1_id, tag) values (1, 'w1'), (2, 'w2'), (3, 'w3')"),
            query(LAST_ID),
            dml("insert into diffu.u1 (t1_id, tag, val) values (5, 'w', 1.5), (6, 'W', -2.5)"),
            query(LAST_ID),
            dml("insert into t5 (id, t1_id, tag) values (null, 4, 'w4')"),
            query(LAST_ID),
            dml("insert into t2 (id, t1_id, label, score) values (1001, 1001, 'x', 1)"),
            dml("insert into t3 (t1_id, seq, note) values (1001, 1, 'a'), (1001, 2, 'b'), (-1001, 1, null), (1005, 1, 'c')"),
            dml("update t1 set qty = qty + 1 where id = 5"),
            dml("update t1 set name = 'upd', amount = amount * 2 where id in (1, 2, 3, 4, 5, 6)"),
            dml("update t1 set amount = amount - 0.01 where grp = 'g2'"),
            dml("update t2 set label = concat(label, '!') where score < 0"),
            dml("update t1 set flag = null where name = 'abc'"),
            dml("update t1 set score = score * -1 where qty between -3 and 3 and score is not null"),
            dml("delete from t2 where id = 10"),
            dml("delete from t2 where id in (11, 12, 13, 14, 999)"),
            dml("delete from t3 where note is null"),
            dml("delete from t1 where qty < -8"),
            dml("update diffu.u1 set val = val + 1 where tag = 'alpha'"),
            dml("delete from diffu.u1 where val < -90"),
            dml("update t1 set qty = 0 where id = 9999"),
            dml("delete from t1 where id = 9999"),
            dml("insert into t5 (id, t1_id, tag) values (5000, 1, 'explicit')"),
            query(LAST_ID),
            dml("update t5 set tag = upper(tag) where t1_id is null"),
            dml("insert into t1 (id, name) values (1001, 'dup') on duplicate key update name = values(name)"),
            dml("insert ignore into t2 (id, t1_id, label, score) values (1001, 1, 'dup', 0), (1002, 2, 'ok', 0)"),
            dml("insert into t2 (id, t1_id, label, score) values (1003, 1, 'a', 0), (1001, 1, 'dup', 0)"),
            dml("delete from t5 where tag = 'w2'"),
            dml("update t3 set note = 'z' where t1_id = 1001 and seq = 2"),
            dml("delete from t1 where id in (1002, 1003)"),
            dml("update t2 set score = score + 1"),
            dml("update t1 set name = 'same' where id = 7"),
            dml("update t1 set name = 'same' where id = 7"),
            dml("update t2 set label = 'blue' where label = 'blue'"),
            query("select count(*), sum(score) from t2"),
            dml("insert into t1 (id, name, amount) values ('2001', 'string id', '-3.5'), ('2002', 'x', 4)"),
            dml("update t1 set qty = 1 where id = 8 order by id limit 1"),
            dml("delete from t3 where t1_id = 9 limit 1"),
            new Step("insert into t2 (id, t1_id, label, score) values (null, 1, 'null id', 0)", false,
                    "a NULL primary vindex value fails with 1149 'could not map NULL to a keyspace id', MySQL with 1048"),
            dml("insert into t1 (id, name) values (4001, 'a'), (4001, 'b')"),
            dml("insert into t1 (id, name, qty) values (-4002, 'neg', -4), (-4003, 'neg', -5)"),
            dml("update t1 set grp = null, flag = 1 where id in (-4002, -4003, 7, 9999)"),
            dml("delete from t3 where t1_id in (1, 2, 3, 4, 5, 6)"),
            dml("update t1 set amount = amount / 3 where qty = 2"),
            dml("begin"),
            dml("insert into t1 (id, name) values (3001, 'rolled back'), (3002, 'rolled back')"),
            dml("update t2 set score = 0 where score > 50"),
            dml("rollback"),
            dml("begin"),
            dml("insert into t1 (id, name) values (3003, 'committed'), (3004, 'committed'), (3005, 'Committed')"),
            dml("delete from t2 where score < -90"),
            dml("insert into diffu.u1 (t1_id, tag, val) values (3003, 'tx', 0.125)"),
            query(LAST_ID),
            dml("commit"),
            query("select count(*), sum(qty), sum(amount) from t1"),
            query("select sum(score), avg(score), min(score), max(score), avg(amount) from t1"));

    private WriteScript() {}

    private static Step dml(String sql) {
        return new Step(sql, false, null);
    }

    private static Step query(String sql) {
        return new Step(sql, true, null);
    }
}
