package io.tessel.vtcombo.differential;

import static io.tessel.vtcombo.differential.Query.ordered;
import static io.tessel.vtcombo.differential.Query.orderedBy;
import static io.tessel.vtcombo.differential.Query.unordered;

import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written reads on single tables, by query class: point selects, IN, scatter, ORDER BY with
 * LIMIT/offset, DISTINCT, aggregates, DISTINCT aggregates and GROUP BY. Joins, subqueries, UNIONs, the
 * reference table and the unsharded keyspace are in {@link JoinCorpus}. Every LIMIT comes with an ORDER BY
 * that orders rows completely (ties under LIMIT are open in MySQL too).
 */
final class QueryCorpus {
    private QueryCorpus() {}

    /** Every hand-written read. */
    static List<Query> all() {
        List<Query> out = new ArrayList<>();
        out.addAll(point());
        out.addAll(in());
        out.addAll(scatter());
        out.addAll(orderBy());
        out.addAll(distinct());
        out.addAll(aggregates());
        out.addAll(groupBy());
        out.addAll(JoinCorpus.all());
        return out;
    }

    static List<Query> point() {
        String c = "point";
        return List.of(
                unordered(c, "select * from t1 where id = 5"),
                unordered(c, "select id, name, amount from t1 where id = -3"),
                unordered(c, "select * from t1 where id = 9999"),
                unordered(c, "select id, qty from t1 where id = 17 and qty > 0"),
                unordered(c, "select * from t2 where id = 42"),
                ordered(c, "select t1_id, seq, note from t3 where t1_id = 12 order by seq"),
                unordered(c, "select * from t1 where 77 = id"),
                unordered(c, "select id from t1 where id = null"),
                unordered(c, "select name, count(*) from t1 where id = 8 group by name"),
                unordered(c, "select id, amount * qty, amount / 3, qty div 3, qty % 4, score + 1 from t1 where id = 33"),
                unordered(c, "select * from t5 where id = 7"),
                unordered(c, "select id, name from t1 where id = 11 for update"),
                unordered(c, "select count(*), sum(amount), avg(qty) from t1 where id = 21"),
                unordered(c, "select id, created, flag from t1 where id = 100 and flag is not null"),
                unordered(c, "select t1.id, t1.name from diff.t1 where t1.id = 64"),
                unordered(c, "select 1 + 1, 'x', null"),
                unordered(c, "select * from t1 where id = '5'"),
                unordered(c, "select id, name from t1 where id = 5.0"),
                unordered(c, "select id from t1 where id = 18446744073709551615"),
                unordered(c, "select id from t1 where id = -9223372036854775808"),
                unordered(c, "select count(*) from t1 t where t.id = 5"),
                unordered(c, "select id, -score, abs(amount), round(amount, 1), floor(score) from t1 where id = 44"));
    }

    static List<Query> in() {
        String c = "in";
        return List.of(
                unordered(c, "select id, name from t1 where id in (1, 2, 3, 4, 5, 6, 7, 8)"),
                ordered(c, "select id, amount from t1 where id in (-1, -2, 250, 9999) order by id"),
                unordered(c, "select * from t1 where id in (10, 20, 30) and qty > 0"),
                unordered(c, "select id from t1 where id in (5, null, 6)"),
                ordered(c, "select t1_id, seq from t3 where t1_id in (1, 2, 3, 4, 5, 6) order by t1_id, seq"),
                ordered(c, "select id, label from t2 where id in (3, 33, 133, 233, 303) order by label, id"),
                unordered(c, "select count(*), sum(qty) from t1 where id in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)"),
                unordered(c, "select grp, count(*) from t1 where id in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12) group by grp"),
                ordered(c, "select id from t1 where id in (1, 2, 3) order by id desc limit 2"),
                unordered(c, "select id from t1 where id in (4, 4, 4)"),
                unordered(c, "select id, name from t1 where id in (11, 12, 13) or id in (14)"),
                unordered(c, "select distinct grp from t1 where id in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)"),
                unordered(c, "select id from t1 where id not in (1, 2, 3) and qty = 7"),
                unordered(c, "select id, qty from t1 where id in (-5, 5, 50, 150) and (qty is null or qty < 3)"),
                unordered(c, "select * from t3 where t1_id in (7, 8, 9) and seq > 1"),
                unordered(c, "select id from t1 where id in ('1', '2', '3')"),
                unordered(c, "select id from t1 where id in (-10, -1, 0)"),
                unordered(c, "select id from t1 where id in (1, 2) and id in (2, 3)"),
                unordered(c, "select t.id from t1 as t where t.id in (1, 2, 100)"));
    }

    static List<Query> scatter() {
        String c = "scatter";
        return List.of(
                unordered(c, "select * from t1 where qty > 5"),
                unordered(c, "select id, name from t1 where name = 'abc'"),
                unordered(c, "select id, name from t1 where name = 'EMILE'"),
                unordered(c, "select id, name from t1 where name like 'a%'"),
                unordered(c, "select id, amount from t1 where amount < 0"),
                unordered(c, "select id from t1 where score is null"),
                unordered(c, "select id, created from t1 where created between '2024-03-01' and '2024-05-31'"),
                unordered(c, "select id from t1 where flag = 1 and grp = 'g2'"),
                unordered(c, "select id, amount * 2, qty + 1, -amount, score / 4 from t1 where qty < -5"),
                unordered(c, "select id, concat(name, '-', grp) from t1 where grp = 'g3'"),
                unordered(c, "select * from t2 where score between -10 and 10"),
                unordered(c, "select * from t3 where note = 'n1'"),
                unordered(c, "select id, name from t1 where name > 'm'"),
                unordered(c, "select id, label from t2 where label in ('red', 'BLUE', 'arger')"),
                unordered(c, "select * from t1"),
                unordered(c, "select * from t5"),
                unordered(c, "select id from t1 where id = 5 or id = 6"),
                unordered(c, "select id, qty from t1 where qty is null or qty = 0"),
                unordered(c, "select id from t1 where amount = 10.5"),
                unordered(c, "select id, score from t1 where score > 10.25 and score < 20"),
                unordered(c, "select id from diff.t1 where qty = 4"),
                unordered(c, "select id, coalesce(name, 'none'), ifnull(qty, -99) from t1 where grp is null"),
                unordered(c, "select id, case when qty > 0 then 'pos' when qty < 0 then 'neg' else 'zero' end from t1 where flag = 0"),
                unordered(c, "select id from t1 where not (qty > 0) and amount is not null"),
                unordered(c, "select id, name from t1 where name <> 'foo' and name < 'c'"),
                unordered(c, "select id from t1 where amount between -10.50 and 10.50"),
                unordered(c, "select id, name from t1 where name = 'o''neil'"),
                unordered(c, "select id, name from t1 where name = 'o\\'neil'"),
                unordered(c, "select id, name from t1 where name = 'zoe'"),
                unordered(c, "select id, name from t1 where name = 'abc '"),
                unordered(c, "select id, name from t1 where name like 'é%'"),
                unordered(c, "select id from t1 where qty = '3'"),
                unordered(c, "select id from t1 where qty = 3.0"),
                unordered(c, "select id from t1 where amount = 1.05e1"),
                unordered(c, "select id from t1 where id between 1 and 5"),
                unordered(c, "select id, name from t1 where id = 5 or name = 'abc'"),
                unordered(c, "select id from t1 where flag is true and qty < -7"),
                unordered(c, "select id from t1 where name = 'ABC' collate utf8mb4_bin"),
                unordered(c, "select id from t1 where name regexp '^a'"),
                unordered(c, "select id from t1 where created >= date('2024-06-01') and created < '2024-06-10' + interval 1 day"),
                unordered(c, "select id from t1 where created = '2024-02-29'"),
                unordered(c, "select database(), @@autocommit"),
                unordered(c, "show tables"),
                ordered(c, "select table_name from information_schema.tables where table_schema = 'diff' order by table_name"));
    }

    static List<Query> orderBy() {
        String c = "orderby";
        return List.of(
                ordered(c, "select id, name from t1 order by name, id"),
                ordered(c, "select id, amount from t1 order by amount desc, id"),
                ordered(c, "select id, score from t1 order by score, id limit 10"),
                ordered(c, "select id, qty from t1 order by qty, id limit 5 offset 10"),
                ordered(c, "select id, created from t1 order by created desc, id desc limit 7"),
                ordered(c, "select id, name from t1 order by name desc, id limit 20, 5"),
                ordered(c, "select id, qty from t1 order by qty, id"),
                orderedBy(c, "select id, grp from t1 order by grp", 1),
                ordered(c, "select id, name from t1 order by 2, 1"),
                ordered(c, "select id from t1 order by amount, id"),
                ordered(c, "select id from t1 order by name desc, id desc limit 12"),
                ordered(c, "select id, label from t2 order by label, id limit 30"),
                ordered(c, "select * from t1 order by id limit 3"),
                ordered(c, "select id, amount from t1 where qty > 0 order by amount, id limit 15"),
                orderedBy(c, "select id, score from t1 order by score desc", 1),
                orderedBy(c, "select name from t1 order by name", 0),
                ordered(c, "select id, flag, qty from t1 order by flag desc, qty, id"),
                ordered(c, "select id from t1 order by id limit 0"),
                ordered(c, "select id, t1.name from t1 order by t1.name, t1.id limit 8"),
                ordered(c, "select id, name as n from t1 order by n, id limit 9"),
                ordered(c, "select id, qty * 2 as q2 from t1 order by q2, id limit 10"),
                ordered(c, "select id, created from t1 where created is not null order by created, id limit 10"),
                ordered(c, "select t1_id, seq, note from t3 order by note, t1_id, seq limit 25"),
                ordered(c, "select id, amount from t1 order by amount desc, id limit 1"),
                ordered(c, "select id from t1 order by id desc limit 5 offset 250"),
                ordered(c, "select id from t1 where qty = 3 order by id limit 100"),
                ordered(c, "select id, score, amount from t1 where score is not null order by score desc, amount, id limit 20"),
                ordered(c, "select t2.id, t2.score from t2 order by t2.score desc, t2.id desc limit 13"),
                ordered(c, "select id, qty from t1 order by qty * -1, id limit 20"),
                ordered(c, "select id, name from t1 order by name collate utf8mb4_bin, id limit 15"),
                ordered(c, "select id, name from t1 where name is not null order by binary name, id limit 15"),
                ordered(c, "select id, name, grp from t1 order by grp desc, name, id limit 30"),
                ordered(c, "select id, created from t1 order by created, id limit 200, 100"),
                ordered(c, "select id, qty from t1 order by if(qty is null, 1, 0), qty, id limit 10"),
                ordered(c, "select id, grp from t1 order by field(grp, 'g3', 'g1'), id limit 10"),
                ordered(c, "select id from t1 order by id limit 5, 1000"),
                ordered(c, "select distinct qty from t1 order by qty desc limit 3"));
    }

    static List<Query> distinct() {
        String c = "distinct";
        return List.of(
                unordered(c, "select distinct grp from t1"),
                unordered(c, "select distinct name from t1").ci(0),
                unordered(c, "select distinct grp, flag from t1"),
                ordered(c, "select distinct qty from t1 order by qty"),
                ordered(c, "select distinct name from t1 order by name").ci(0),
                ordered(c, "select distinct grp from t1 order by grp limit 3"),
                unordered(c, "select distinct label from t2 where score > 0").ci(0),
                ordered(c, "select distinct flag, grp from t1 where qty > 0 order by flag, grp"),
                unordered(c, "select distinct amount from t1 where amount between -20 and 20"),
                ordered(c, "select distinct created from t1 where created < '2024-02-01' order by created desc limit 5"),
                unordered(c, "select distinct t1_id from t3 where note is null"),
                unordered(c, "select distinct score from t1 where score < -40"));
    }

    static List<Query> aggregates() {
        String c = "aggregate";
        String d = "distinct_agg";
        return List.of(
                unordered(c, "select count(*) from t1"),
                unordered(c, "select count(qty), count(score), count(name) from t1"),
                unordered(c, "select sum(amount), sum(qty), sum(score) from t1"),
                unordered(c, "select min(amount), max(amount), min(qty), max(qty) from t1"),
                unordered(c, "select min(score), max(score), min(created), max(created) from t1"),
                unordered(c, "select min(name), max(name) from t1").ci(0, 1),
                unordered(c, "select avg(amount), avg(qty), avg(score) from t1"),
                unordered(c, "select count(*), sum(amount), avg(amount) from t1 where qty < 0"),
                unordered(c, "select count(*), sum(qty), min(qty), max(qty), avg(qty) from t1 where 1 = 0"),
                unordered(c, "select sum(flag), avg(flag) from t1"),
                unordered(c, "select count(*) from t2 where label = 'red'"),
                unordered(c, "select max(label), min(label) from t2").ci(0, 1),
                unordered(c, "select sum(amount * qty) from t1"),
                unordered(c, "select avg(score) from t1 where score > 0"),
                unordered(c, "select count(*) as c, sum(qty) as total from t1"),
                unordered(c, "select count(1) from t3"),
                unordered(c, "select min(id), max(id) from t1"),
                unordered(c, "select sum(score), avg(score) from t2"),
                unordered(c, "select count(*) from t1 where name = 'abc'"),
                unordered(c, "select max(amount) from t1 where amount < 0"),
                unordered(d, "select count(distinct grp) from t1"),
                unordered(d, "select count(distinct name) from t1"),
                unordered(d, "select sum(distinct qty) from t1"),
                unordered(d, "select sum(distinct amount) from t1"),
                unordered(d, "select count(distinct qty) from t1 where flag = 1"),
                unordered(d, "select grp, count(distinct qty) from t1 group by grp"),
                unordered(d, "select count(distinct label) from t2"),
                unordered(d, "select flag, sum(distinct score) from t1 group by flag"),
                unordered(d, "select count(distinct t1_id) from t3"),
                unordered(d, "select grp, count(distinct name) from t1 group by grp"),
                unordered(d, "select count(distinct qty), count(*), sum(qty) from t1"),
                unordered(d, "select count(DISTINCT grp), sum(DISTINCT grp) from t1"),
                unordered(d, "select flag, count(distinct amount) as n, sum(distinct amount) as s from t1 group by flag"));
    }

    static List<Query> groupBy() {
        String c = "groupby";
        return List.of(
                unordered(c, "select grp, count(*) from t1 group by grp"),
                unordered(c, "select grp, count(*), sum(amount), avg(amount), min(qty), max(score) from t1 group by grp"),
                unordered(c, "select name, count(*) from t1 group by name").ci(0),
                unordered(c, "select flag, count(*), sum(qty) from t1 group by flag"),
                unordered(c, "select created, count(*) from t1 group by created having count(*) > 1"),
                unordered(c, "select grp, count(*) from t1 group by grp having count(*) > 50"),
                unordered(c, "select grp, sum(amount) from t1 group by grp having sum(amount) > 0"),
                ordered(c, "select grp, count(*) as c from t1 group by grp order by c desc, grp"),
                ordered(c, "select grp, count(*) as c from t1 group by grp order by c desc, grp limit 3"),
                unordered(c, "select grp, flag, count(*) from t1 group by grp, flag"),
                ordered(c, "select grp, flag, count(*) from t1 group by 1, 2 order by 1, 2"),
                ordered(c, "select grp as g, count(*) from t1 group by g order by g"),
                unordered(c, "select count(*) from t1 group by grp"),
                unordered(c, "select grp from t1 group by grp having sum(qty) > 10"),
                ordered(c, "select qty, count(*) from t1 group by qty order by qty"),
                unordered(c, "select label, count(*), sum(score) from t2 group by label").ci(0),
                ordered(c, "select label, count(*) from t2 group by label order by count(*) desc, label").ci(0),
                ordered(c, "select grp, avg(qty) from t1 group by grp order by avg(qty), grp"),
                ordered(c, "select name, max(amount) from t1 where name is not null group by name order by name").ci(0),
                unordered(c, "select grp, min(name), max(name) from t1 group by grp").ci(1, 2),
                unordered(c, "select t1_id, count(*), max(seq) from t3 group by t1_id having count(*) > 2"),
                ordered(c, "select grp, count(*) from t1 where qty > 0 group by grp having count(*) between 5 and 40 order by grp"),
                unordered(c, "select flag, avg(amount), avg(score) from t1 group by flag"),
                unordered(c, "select year(created), count(*) from t1 group by year(created)"),
                ordered(c, "select name, count(*) from t1 group by name having count(*) > 10 order by count(*) desc, name").ci(0),
                ordered(c, "select grp, sum(qty) from t1 group by grp order by sum(qty) desc, grp limit 2"),
                ordered(c, "select grp, count(*) from t1 where grp is not null group by grp order by grp desc limit 2 offset 1"),
                unordered(c, "select qty, flag, sum(amount), count(score) from t1 where qty between -2 and 2 group by qty, flag"),
                ordered(c, "select created, sum(amount) from t1 where created < '2024-03-01' group by created order by created"),
                unordered(c, "select grp, count(*) from t1 where 1 = 0 group by grp"),
                unordered(c, "select count(*) from t1 having count(*) > 1000"),
                unordered(c, "select max(name), sum(amount) from t1 where qty > 100").ci(0),
                ordered(c, "select qty, sum(amount) from t1 group by qty order by qty desc"),
                unordered(c, "select grp, count(*) as c from t1 group by grp having c > 40"),
                unordered(c, "select grp, count(*) from t1 group by grp having grp <> 'g1'"),
                unordered(c, "select grp, count(*) from t1 group by grp having count(*) > 40 and sum(qty) < 0"),
                ordered(c, "select grp from t1 group by grp order by count(*) desc, grp"),
                ordered(c, "select grp, avg(amount) from t1 group by grp order by avg(amount) desc, grp"),
                ordered(c, "select distinct name, grp from t1 order by name, grp").ci(0),
                unordered(c, "select flag, count(*) from t1 where id = 17 group by flag with rollup"),
                unordered(c, "select grp, max(concat(name, '!')) from t1 group by grp").ci(1),
                ordered(c, "select qty div 3 as q, count(*) from t1 group by q order by q"),
                unordered(c, "select grp from t1 group by grp having max(amount) - min(amount) > 900"),
                unordered(c, "select grp, avg(qty) from t1 group by grp having avg(qty) > 0"),
                unordered(c, "select grp, count(distinct name) from t1 group by grp having count(distinct name) > 8")
                        ,
                unordered(c, "select flag, min(created), max(created) from t1 group by flag having min(created) < '2024-01-05'"),
                unordered(c, "select grp, sum(score) from t1 group by grp having sum(score) is not null and count(*) > 10"));
    }
}
