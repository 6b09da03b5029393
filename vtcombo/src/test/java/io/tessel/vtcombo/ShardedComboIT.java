package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtgate.vindex.HashVindex;
import io.tessel.vtgate.vindex.KeyspaceSchema;
import io.tessel.vtgate.vindex.TableSchema.TableType;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vtcombo cluster of two keyspaces from a schema directory, each shard on its own MariaDB: customer on
 * two shards (sharded by hash in its VSchema) and commerce unsharded. Checks what vtgate serves, what
 * each shard's MariaDB holds (queried directly) and the VSchema vtgate built from the topology.
 */
@Timeout(120)
class ShardedComboIT {
    @TempDir
    static Path schemaDir;

    private static ComboCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        Fixture.write(schemaDir, "customer/01-customer.sql", """
                create table customer (customer_id bigint primary key, email varbinary(128));""");
        Fixture.write(schemaDir, "customer/02-corder.sql", """
                create table corder (order_id bigint primary key, customer_id bigint, sku varbinary(128), price bigint);""");
        Fixture.write(schemaDir, "customer/vschema.json", """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}],
                                         "auto_increment": {"column": "customer_id", "sequence": "commerce.customer_seq"}},
                            "corder": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]}}}""");
        Fixture.write(schemaDir, "commerce/01.sql", """
                create table product (sku varbinary(128) primary key, description varbinary(128), price bigint);
                create table customer_seq (id int, next_id bigint, cache bigint, primary key(id)) comment 'vitess_sequence';
                insert into customer_seq values (0, 1, 1000);""");
        Fixture.write(schemaDir, "commerce/vschema.json", """
                {"tables": {"product": {}, "customer_seq": {"type": "sequence"}}}""");
        cluster = ComboCluster.start(ComboConfig.builder().schemaDir(schemaDir)
                .keyspace("customer", 2).keyspace("commerce", 1).build());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Connection vtgate(String database) throws Exception {
        return Fixture.connect(Fixture.tesselUrl("mysql", cluster, database));
    }

    private static List<String> direct(String keyspace, String shard, String sql) throws Exception {
        try (Connection c = Fixture.connect(cluster.shard(keyspace, shard).jdbcUrl())) {
            List<String> rows = Fixture.rows(c, sql);
            return rows.subList(1, rows.size()); // without the header
        }
    }

    @Test
    void showDatabasesListsBothKeyspaces() throws Exception {
        try (Connection c = vtgate("")) {
            assertEquals(List.of("commerce|", "customer|"), Fixture.rows(c, "show databases").subList(1, 3));
        }
    }

    @Test
    void everyShardHasItsOwnMariaDbWithItsKeyspacesTables() throws Exception {
        assertEquals(List.of("customer/-80", "customer/80-", "commerce/0"),
                cluster.shards().stream().map(s -> s.keyspace() + "/" + s.shard()).toList());
        assertEquals(3, cluster.shards().stream().map(s -> s.mysql().port()).distinct().count(), "one MariaDB each");
        for (String shard : List.of("-80", "80-")) {
            assertEquals(List.of("corder|", "customer|"), direct("customer", shard, "show tables"), shard);
        }
        assertEquals(List.of("customer_seq|", "product|"), direct("commerce", "0", "show tables"));
        assertEquals(List.of("0|1|1000|"), direct("commerce", "0", "select * from customer_seq"));
    }

    @Test
    void queriesTargetedAtAShardReachOnlyThatShard() throws Exception {
        try (Connection c = vtgate("customer:-80")) {
            assertEquals(1, Fixture.update(c, "insert into customer values (1, 'low@example.com')"));
            assertEquals(List.of("1|low@example.com|"), Fixture.rows(c, "select * from customer").subList(1, 2));
        }
        try (Connection c = vtgate("")) {
            Fixture.update(c, "use `customer:80-`");
            assertEquals(1, Fixture.update(c, "insert into customer values (4, 'high@example.com')"));
        }
        assertEquals(List.of("1|low@example.com|"), direct("customer", "-80", "select * from customer"));
        assertEquals(List.of("4|high@example.com|"), direct("customer", "80-", "select * from customer"));
        try (Connection c = vtgate("commerce")) {
            assertEquals(1, Fixture.update(c, "insert into product values ('sku1', 'a thing', 10)"));
        }
        assertEquals(List.of("sku1|a thing|10|"), direct("commerce", "0", "select * from product"));
    }

    @Test
    void vtgateServesBothKeyspacesVSchemas() {
        assertEquals(Set.of("commerce", "customer"), cluster.vschema().keyspaces().keySet());
        KeyspaceSchema customer = cluster.vschema().keyspace("customer").orElseThrow();
        assertTrue(customer.isSharded());
        for (String table : List.of("customer", "corder")) {
            var primary = customer.table(table).orElseThrow().columnVindexes().get(0);
            assertEquals(List.of("customer_id"), primary.columns(), table);
            assertInstanceOf(HashVindex.class, primary.vindex(), table);
        }
        KeyspaceSchema commerce = cluster.vschema().keyspace("commerce").orElseThrow();
        assertFalse(commerce.isSharded());
        assertEquals(TableType.SEQUENCE, commerce.table("customer_seq").orElseThrow().type());
        assertNotEquals(TableType.SEQUENCE, commerce.table("product").orElseThrow().type());
    }
}
