package io.tessel.vtcombo.differential;

import static io.tessel.vtcombo.differential.Query.ordered;
import static io.tessel.vtcombo.differential.Query.unordered;

import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written reads over several tables or keyspaces: co-located joins (t1 with t3, both by the hash
 * of the t1 id), cross-shard nested-loop joins (t1 with t2, which is sharded by its own id), uncorrelated
 * subqueries, UNION / UNION ALL, the reference table, the unsharded keyspace and the sequence-numbered
 * tables.
 */
final class JoinCorpus {
    private JoinCorpus() {}

    static List<Query> all() {
        List<Query> out = new ArrayList<>();
        out.addAll(colocated());
        out.addAll(crossShard());
        out.addAll(subqueries());
        out.addAll(unions());
        out.addAll(reference());
        out.addAll(unsharded());
        return out;
    }

    static List<Query> colocated() {
        String c = "colocated_join";
        return List.of(
                unordered(c, "select t1.id, t3.seq, t3.note from t1 join t3 on t1.id = t3.t1_id where t1.id = 5"),
                unordered(c, "select t1.id, t1.name, t3.seq from t1 join t3 on t1.id = t3.t1_id"),
                ordered(c, "select t1.id, t3.seq from t1 join t3 on t3.t1_id = t1.id order by t1.id, t3.seq limit 20"),
                unordered(c, "select t1.id, t3.seq from t1 left join t3 on t1.id = t3.t1_id where t1.qty > 5"),
                unordered(c, "select count(*) from t1 join t3 on t1.id = t3.t1_id"),
                unordered(c, "select t1.grp, count(*) from t1 join t3 on t1.id = t3.t1_id group by t1.grp"),
                ordered(c, "select t1.id, t3.note from t1 join t3 on t1.id = t3.t1_id where t3.note = 'n1' order by t1.id, t3.seq"),
                unordered(c, "select t1.id, t3.seq from t1, t3 where t1.id = t3.t1_id and t1.id in (1, 2, 3, 4)"),
                unordered(c, "select t1.id from t1 left join t3 on t1.id = t3.t1_id where t3.t1_id is null"),
                unordered(c, "select distinct t1.grp from t1 join t3 on t1.id = t3.t1_id where t3.seq = 3"),
                unordered(c, "select a.id, b.name from t1 a join t1 b on a.id = b.id where a.qty < -8"),
                unordered(c, "select t1.name, count(*) from t1 join t3 on t1.id = t3.t1_id group by t1.name").ci(0),
                ordered(c, "select t1.id, sum(t3.seq) from t1 join t3 on t1.id = t3.t1_id group by t1.id order by t1.id limit 10"));
    }

    static List<Query> crossShard() {
        String c = "cross_shard_join";
        return List.of(
                unordered(c, "select t1.id, t2.id from t1 join t2 on t1.id = t2.t1_id"),
                unordered(c, "select t1.id, t1.name, t2.label from t1 join t2 on t1.id = t2.t1_id where t1.qty > 5"),
                unordered(c, "select t1.id, t2.id, t2.label from t1 left join t2 on t2.t1_id = t1.id where t1.grp = 'g1'"),
                ordered(c, "select t1.id, t2.id from t1 join t2 on t1.id = t2.t1_id order by t1.id, t2.id limit 15"),
                ordered(c, "select t1.id, t2.id from t1 join t2 on t1.id = t2.t1_id order by t2.id limit 10 offset 5"),
                unordered(c, "select t2.id, t1.name from t2 join t1 on t1.id = t2.t1_id where t2.score > 90"),
                unordered(c, "select t1.id, t2.id from t1 left join t2 on t2.t1_id = t1.id where t2.id is null"),
                unordered(c, "select t1.name, t2.label from t1 join t2 on t1.name = t2.label"),
                unordered(c, "select t1.id, t2.score from t1 join t2 on t1.id = t2.t1_id where t1.id = 7"),
                unordered(c, "select t1.id, t2.id from t1 join t2 on t1.id = t2.t1_id and t2.score < 0 where t1.flag = 1"),
                unordered(c, "select t1.id, t2.id from t1 join t2 on t1.qty = t2.score where t1.id < 20"),
                unordered(c, "select t1.id, t2.id, t3.seq from t1 join t3 on t1.id = t3.t1_id join t2 on t2.t1_id = t1.id where t1.id < 30"),
                ordered(c, "select t1.id, t2.id from t1 left join t2 on t2.t1_id = t1.id order by t1.id, t2.id limit 25"),
                unordered(c, "select t1.id, u1.id, u1.tag from t1 join diffu.u1 on u1.t1_id = t1.id"),
                unordered(c, "select t2.id, t1.amount from t2 left join t1 on t1.id = t2.t1_id where t2.id <= 40"),
                unordered(c, "select t1.id, t5.id from t1 join t5 on t5.t1_id = t1.id"),
                ordered(c, "select t2.id, t2.label, t1.amount from t2 join t1 on t1.id = t2.t1_id order by t1.amount desc, t2.id limit 12"),
                unordered(c, "select t1.id, t2.id from t1 join t2 on t2.t1_id = t1.id where t1.name = 'abc' and t2.label = 'red'"),
                unordered(c, "select t1.id, t2.id from t1 join t2 on t2.t1_id = t1.id where t2.label = 'red'"),
                unordered(c, "select t1.id, t2.id, t5.id from t1 join t2 on t2.t1_id = t1.id join t5 on t5.t1_id = t1.id"),
                ordered(c, "select t1.name, t2.label from t1 join t2 on t1.id = t2.t1_id order by t1.name, t2.label, t1.id, t2.id limit 20"),
                unordered(c, "select t1.id, t2.id from t1 join t2 on t1.id = t2.t1_id where t1.id in (1, 2, 3, 4, 5, 6, 7, 8)"),
                unordered(c, "select t1.id, t2.id from t1 left join t2 on t2.t1_id = t1.id and t2.score > 0 where t1.qty < -7"),
                unordered(c, "select t1.id, t2.id from t1 left join t2 on t2.t1_id = t1.id where t2.score > 50"),
                unordered(c, "select t1.id, t2.id, t2.label from t1 left join t2 on t2.t1_id = t1.id where t2.label is null or t2.score < -80"),
                ordered(c, "select t1.id as a, t2.id as b from t1 join t2 on t1.id = t2.t1_id order by b desc limit 7"),
                unordered(c, "select t1.name, t2.label from t1 join t2 on t1.name = t2.label where t1.name = 'abc '"));
    }

    static List<Query> subqueries() {
        String c = "subquery";
        return List.of(
                unordered(c, "select id from t1 where id in (select t1_id from t2 where score > 50)"),
                unordered(c, "select id from t1 where id not in (select t1_id from t2 where t1_id is not null)"),
                unordered(c, "select id from t1 where id not in (select t1_id from t2)"),
                unordered(c, "select id from t1 where exists (select 1 from t2 where score > 99)"),
                unordered(c, "select id from t1 where not exists (select 1 from t2 where score > 1000) and qty = 2"),
                unordered(c, "select id, amount from t1 where amount > (select avg(amount) from t1)"),
                unordered(c, "select id from t1 where qty = (select max(qty) from t1)"),
                unordered(c, "select id, (select max(score) from t2) from t1 where id = 3").differs(Query.SUBQUERY_LABEL),
                unordered(c, "select id from t1 where grp in (select code from ref where weight = 10)"),
                ordered(c, "select id from t1 where id in (select t1_id from t3 where note = 'x') order by id"),
                unordered(c, "select id from t2 where t1_id in (select id from t1 where name = 'abc')"),
                unordered(c, "select count(*) from t1 where id in (select t1_id from t2)"),
                unordered(c, "select * from diffu.u1 where t1_id in (select id from t1 where qty > 8)"),
                unordered(c, "select id from t1 where amount < (select min(amount) from t1 where qty > 9)"),
                unordered(c, "select id from t1 where id in (select t1_id from t2 where score is null) and qty > 0"),
                unordered(c, "select id from t1 where exists (select 1 from t2 where score > 1000)"),
                unordered(c, "select * from t3 where t1_id in (select id from t1 where qty = 10)"),
                unordered(c, "select id from t1 where qty = (select max(qty) from t1 where 1 = 0)"),
                unordered(c, "select id from t1 where id in (select id from t1 where name = 'zed') and id not in (select t1_id from t3 where t1_id is not null)"),
                unordered(c, "select id from t1 where not (id in (select t1_id from t2 where score > 0)) and qty > 5"),
                unordered(c, "select id from t1 where qty = 10 or id in (select t1_id from t2 where score > 97)"),
                unordered(c, "select id from t1 where qty > 8 and not exists (select 1 from t2 where score > 99)"));
    }

    static List<Query> unions() {
        String c = "union";
        return List.of(
                unordered(c, "select id from t1 where qty > 8 union select t1_id from t2 where score > 95"),
                unordered(c, "select id from t1 where qty > 8 union all select t1_id from t2 where score > 95"),
                ordered(c, "select id from t1 where qty > 8 union select t1_id from t2 where score > 95 order by id limit 5"),
                unordered(c, "select name from t1 where qty > 5 union select label from t2 where score > 80").ci(0),
                unordered(c, "select id, name from t1 where id = 1 union all select id, name from t1 where id = 2"),
                unordered(c, "select grp from t1 union select code from ref"),
                ordered(c, "select t1_id from t3 where seq = 3 union select id from t1 where qty = -10 order by t1_id desc"),
                unordered(c, "select id from t1 where qty > 9 union all select id from diffu.u1 where val > 90"),
                unordered(c, "select id from t1 where id = 1 union select id from t1 where id = 1"),
                unordered(c, "select qty from t1 where flag = 1 union select score from t2 where score < -90"),
                ordered(c, "select name from t1 where qty > 7 union select label from t2 where score > 90 order by name").ci(0),
                unordered(c, "(select id from t1 order by id limit 3) union all (select id from t2 order by id desc limit 3)"),
                unordered(c, "select id from t1 where qty = 10 union select t1_id from t3 where seq = 3 union select id from t2 where score = 0"),
                unordered(c, "select id from t1 where qty = 10 union all select t1_id from t3 where seq = 3 union all select id from t2 where score = 0"),
                unordered(c, "select amount from t1 where qty = 1 union select score from t2 where score < -95"));
    }

    static List<Query> reference() {
        String c = "reference";
        return List.of(
                unordered(c, "select * from ref"),
                unordered(c, "select t1.id, ref.descr from t1 join ref on t1.grp = ref.code where t1.id = 7"),
                ordered(c, "select t1.id, ref.descr from t1 join ref on t1.grp = ref.code order by t1.id limit 20"),
                unordered(c, "select t1.id, ref.weight from t1 left join ref on ref.code = t1.grp where t1.qty = 0"),
                unordered(c, "select count(*), sum(weight) from ref"),
                unordered(c, "select ref.code, count(*) from t1 join ref on t1.grp = ref.code group by ref.code"),
                ordered(c, "select code from ref where weight = 10 order by code"),
                unordered(c, "select t3.t1_id, ref.descr from t3 join ref on ref.code = t3.note"),
                unordered(c, "select ref.code, t2.id from ref join t2 on t2.label = ref.descr"),
                unordered(c, "select t2.id, ref.code from t2 join ref on ref.weight = t2.score"));
    }

    static List<Query> unsharded() {
        String c = "unsharded";
        String s = "sequence";
        return List.of(
                unordered(c, "select * from diffu.u1"),
                unordered(c, "select tag, count(*), sum(val), avg(val) from diffu.u1 group by tag").ci(0),
                ordered(c, "select id, val from diffu.u1 order by val desc, id limit 10"),
                unordered(c, "select distinct tag from diffu.u1").ci(0),
                unordered(c, "select count(*), min(val), max(val) from diffu.u1"),
                unordered(c, "select u1.id, t1.name from diffu.u1 join t1 on t1.id = u1.t1_id"),
                unordered(c, "select * from diffu.u1 where t1_id is null"),
                unordered(c, "select id from diffu.u1 where id in (select id from diffu.u1 where val > 0)"),
                unordered(c, "select a.id, b.id from diffu.u1 a join diffu.u1 b on a.t1_id = b.t1_id and a.id < b.id"),
                ordered(s, "select * from t5 order by id"),
                unordered(s, "select max(id), min(id), count(*) from t5"),
                ordered(s, "select id, t1_id, tag, val from diffu.u1 order by id"),
                unordered(s, "select max(id), count(*) from diffu.u1"));
    }
}
