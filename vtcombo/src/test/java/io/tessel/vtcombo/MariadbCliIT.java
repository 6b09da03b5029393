package io.tessel.vtcombo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.vttablet.mysqlctl.MariaDbExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code mariadb} command-line client against vtgate, differentially: the same script through
 * Tessel and straight to MariaDB prints the same thing. The CLI uses the legacy EOF framing.
 */
class MariadbCliIT {
    @RegisterExtension
    static MariaDbExtension db = new MariaDbExtension();

    private static ComboCluster cluster;

    private static final String SCRIPT = """
            drop table if exists cli_t;
            create table cli_t (id int primary key, name varchar(64), price decimal(10,2), created datetime(3),
              note text, flag bit(1), data blob, u bigint unsigned, f double);
            insert into cli_t values (1, 'one', 1.50, '2024-01-02 03:04:05.678', 'x', b'1', 'bin\\0ary', 18446744073709551615, 1.25),
              (2, 'two', NULL, NULL, 'y', b'0', NULL, 0, -0.5), (5, 'ünï©ødé', 9.99, '1999-12-31 23:59:59.999', '', NULL, '', 7, 1e300);
            select * from cli_t order by id;
            update cli_t set name = 'uno' where id = 1;
            delete from cli_t where id = 2;
            begin;
            insert into cli_t (id, name) values (3, 'three');
            select count(*) from cli_t;
            rollback;
            start transaction;
            insert into cli_t (id, name) values (4, 'four');
            commit;
            select id, name, price from cli_t order by id;
            select count(*), sum(price), max(name) from cli_t;
            set autocommit = 0;
            insert into cli_t (id, name) values (6, 'six');
            rollback;
            set autocommit = 1;
            select id from cli_t where id > 3 order by id;
            set @a = 1, @n = 'uno';
            prepare s from 'select id, name from cli_t where id = ? or name = ? order by id';
            execute s using @a, @n;
            set @a = 4;
            execute s using @a, @n;
            set @q = 'select count(*) from cli_t where id > ?';
            prepare c from @q;
            execute c using @a;
            prepare ins from 'insert into cli_t (id, name) values (?, ?)';
            set @a = 7, @n = 'seven';
            execute ins using @a, @n;
            select id, name from cli_t where id = @a;
            deallocate prepare s;
            drop prepare c;
            prepare s from 'select @a + 1 as next_a, count(*) as n from cli_t';
            execute s;
            execute immediate 'select ? * 2 as twice' using @a;
            """;

    @BeforeAll
    static void start() throws Exception {
        cluster = Fixture.start(db, "cli");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String run(int port, String database, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", Integer.toString(port),
                "-u", db.user(), "--password=" + db.password(), "--batch", "--skip-ssl", database)
                .redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return "exit " + p.exitValue() + "\n" + out;
    }

    @Test
    void scriptGivesTheSameOutputAsMariaDbDirectly() throws Exception {
        String direct = run(db.port(), "cli_direct", SCRIPT);
        String tessel = run(cluster.address().getPort(), "cli", SCRIPT);
        assertTrue(direct.startsWith("exit 0"), direct);
        assertEquals(direct, tessel);
        assertTrue(tessel.contains("uno"), tessel);
    }

    @Test
    void errorsMatchMariaDb() throws Exception {
        String script = "select * from no_such_table;\n";
        String direct = run(db.port(), "cli_direct", script).replace("cli_direct", "cli");
        String tessel = run(cluster.address().getPort(), "cli", script);
        assertEquals(direct, tessel);
        assertTrue(tessel.contains("ERROR 1146 (42S02)"), tessel);
    }

    @Test
    void preparedStatementErrorsMatchMariaDb() throws Exception {
        for (String script : new String[] {"execute nope;\n", "deallocate prepare nope;\n",
                "prepare p from 'select ?';\nexecute p;\n", "prepare p from 'select 1';\nexecute p using @x;\n",
                "prepare p from '';\n", "set @s = null;\nprepare p from @s;\n"}) {
            String direct = run(db.port(), "cli_direct", script);
            String tessel = run(cluster.address().getPort(), "cli", script);
            assertEquals(direct, tessel, script);
            assertTrue(tessel.contains("ERROR "), tessel);
        }
    }
}
