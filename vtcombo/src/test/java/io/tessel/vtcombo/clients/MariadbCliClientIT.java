package io.tessel.vtcombo.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtcombo.ComboCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code mariadb} command-line client against the sharded client cluster, connected to the sharded
 * keyspace: a batch script (DDL, DML, transactions, the introspection statements and information_schema
 * queries, warnings, a 1 MB value) and an interactive session on a pseudo-terminal made by {@code script}
 * (auto-rehash's SHOW TABLES and COM_FIELD_LIST at connect, bordered tables, row counts, \W warnings).
 * User variables and SQL-level PREPARE / EXECUTE / DEALLOCATE run against the sharded keyspace too.
 */
@Timeout(180)
@ExtendWith(ClientCluster.class)
class MariadbCliClientIT {
    private ComboCluster cluster;

    @BeforeEach
    void cluster(ComboCluster shared) {
        cluster = shared;
        assumeTrue(onPath("mariadb"), "the mariadb client is not installed (apt-get install mariadb-client)");
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new java.io.File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private List<String> batch(String script) throws Exception {
        Process p = new ProcessBuilder("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P",
                Integer.toString(cluster.address().getPort()), "-u", "root", "--skip-ssl", "--batch", "customer")
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    @Test
    void batchScript() throws Exception {
        byte[] blob = new byte[1024 * 1024];
        new Random(7).nextBytes(blob);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(blob));
        List<String> out = batch("drop table if exists cli_item;\n" + ClientCluster.createItem("cli") + ";\n" + """
                alter table cli_item add column flag tinyint(1) default 0;
                insert into cli_item (id, name, price, qty) values (1, 'one', 1.50, 10), (2, 'two', 2.50, 20),
                  (3, 'three', 3.50, 30), (4, 'four', 4.50, 40), (5, 'five', 5.50, 50), (6, 'six', 6.50, 60);
                update cli_item set qty = qty + 1, note = 'changed' where id = 3;
                delete from cli_item where id = 6;
                select count(*), sum(qty) from cli_item;
                select id, name, qty, note from cli_item where id = 3;
                select id from cli_item order by id desc limit 2;
                begin;
                insert into cli_item (id, name) values (101, 'tx'), (102, 'tx'), (103, 'tx'), (104, 'tx');
                rollback;
                select count(*) as after_rollback from cli_item where name = 'tx';
                start transaction;
                insert into cli_item (id, name) values (101, 'tx'), (102, 'tx'), (103, 'tx'), (104, 'tx');
                commit;
                select count(*) as after_commit from cli_item where name = 'tx';
                show tables like 'cli%';
                show full columns from cli_item;
                show index from cli_item;
                show create table cli_item;
                describe cli_item;
                select column_name from information_schema.columns where table_schema = 'customer'
                  and table_name = 'cli_item' order by ordinal_position;
                select table_name from information_schema.tables where table_schema = 'commerce';
                show columns from commerce.product;
                select cast('12abc' as signed) as n;
                show warnings;
                """ + "insert into cli_item (id, name, data) values (500, 'large', X'" + HexFormat.of().formatHex(blob)
                + "');\nselect length(data), md5(data) from cli_item where id = 500;\n");
        assertLinesMatch(List.of(
                "count(*)\tsum(qty)", "5\t151",
                "id\tname\tqty\tnote", "3\tthree\t31\tchanged",
                "id", "5", "4",
                "after_rollback", "0",
                "after_commit", "4",
                "Tables_in_customer (cli%)", "cli_item",
                "Field\tType\tCollation\tNull\tKey\tDefault\tExtra\tPrivileges\tComment",
                "id\tbigint\\(20\\)\tNULL\tNO\tPRI\tNULL\t\t.*",
                ">> full columns >>",
                "Table\tNon_unique\tKey_name\tSeq_in_index\tColumn_name.*",
                "cli_item\t0\tPRIMARY\t1\tid\t.*",
                "cli_item\t1\tcli_item_name\t1\tname\t.*",
                "Table\tCreate Table",
                "cli_item\tCREATE TABLE `cli_item` \\(.*",
                "Field\tType\tNull\tKey\tDefault\tExtra",
                ">> describe >>",
                "flag\ttinyint\\(1\\)\tYES\t\t0\t",
                "column_name", "id", "name", "price", "created", "qty", "note", "data", "flag",
                "table_name", "product",
                "Field\tType\tNull\tKey\tDefault\tExtra", "sku\tvarchar\\(32\\)\tNO\tPRI\tNULL\t",
                "price\tdecimal\\(10,2\\)\tYES\t\tNULL\t",
                "n", "12",
                "Level\tCode\tMessage", "Warning\t1292\tTruncated incorrect INTEGER value: '12abc'",
                "length(data)\tmd5(data)", "1048576\t" + md5), out);
    }

    @Test
    void userVariablesAndSqlPreparedStatements() throws Exception {
        StringBuilder script = new StringBuilder("drop table if exists ps_item;\n" + ClientCluster.createItem("ps")
                + ";\nprepare ins from 'insert into ps_item (id, name, qty) values (?, ?, ? * 10)';\n");
        for (int id = 1; id <= 6; id++) {
            script.append("set @id = ").append(id).append(", @name = 'n").append(id).append("';\n")
                    .append("execute ins using @id, @name, @id;\n");
        }
        script.append("""
                deallocate prepare ins;
                set @q = 'select id, name, qty from ps_item where id = ?';
                prepare one from @q;
                set @id = 4;
                execute one using @id;
                set @id = 1;
                execute one using @id;
                select count(*) as n, sum(qty) as total from ps_item where qty > @id;
                set @low = 2, @high = 5;
                prepare range from 'select id from ps_item where id between ? and ? order by id desc';
                execute range using @low, @high;
                begin;
                execute immediate 'update ps_item set qty = qty + ? where id = ?' using @high, @low;
                commit;
                select id, qty from ps_item where id = @low;
                drop prepare one;
                """);
        assertLinesMatch(List.of(
                "id\tname\tqty", "4\tn4\t40",
                "id\tname\tqty", "1\tn1\t10",
                "n\ttotal", "6\t210",
                "id", "5", "4", "3", "2",
                "id\tqty", "2\t25"), batch(script.toString()));
    }

    @Test
    void interactiveSessionOnAPseudoTerminal() throws Exception {
        assumeTrue(onPath("script"), "script (util-linux) is not installed");
        String command = "mariadb --no-defaults -h 127.0.0.1 -P " + cluster.address().getPort()
                + " -u root --skip-ssl customer";
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-c", command, "/dev/null").redirectErrorStream(true);
        pb.environment().put("TERM", "dumb");
        Process p = pb.start();
        Terminal t = new Terminal(p);
        try {
            String banner = t.awaitPrompt();
            assertTrue(banner.contains("Reading table information for completion"), banner);
            assertTrue(banner.contains("Server version: 8.0.40-Tessel"), banner);
            t.type("drop table if exists tty_item;");
            t.type(ClientCluster.createItem("tty") + ";");
            String insert = t.type("insert into tty_item (id, name, qty) values (1, 'a', 1), (2, 'b', 2), (3, 'c', 3);");
            assertTrue(insert.contains("Query OK, 3 rows affected"), insert);
            String select = t.type("select id, name from tty_item order by id;");
            assertLinesMatch(List.of(">> prompt >>", "\\+----\\+------\\+", "\\| id \\| name \\|", "\\+----\\+------\\+",
                    "\\|  1 \\| a    \\|", "\\|  2 \\| b    \\|", "\\|  3 \\| c    \\|", "\\+----\\+------\\+",
                    "3 rows in set.*", ">> prompt >>"), select.lines().map(String::strip).toList(), select);
            t.type("begin;");
            t.type("update tty_item set qty = 100 where id in (1, 2, 3);");
            t.type("rollback;");
            String sum = t.type("select sum(qty) as total from tty_item;");
            assertTrue(sum.contains("|     6 |"), "rolled back: " + sum);
            t.type("\\W"); // show warnings after every statement
            String warned = t.type("select cast('7x' as signed) as n;");
            assertTrue(warned.contains("Warning (Code 1292): Truncated incorrect INTEGER value: '7x'"), warned);
            String rehash = t.type("rehash"); // SHOW TABLES and a COM_FIELD_LIST per table again, silently
            assertFalse(rehash.contains("ERROR"), rehash);
            t.type("quit");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), t.all());
        } finally {
            p.destroyForcibly();
        }
    }

    /** The client on the pseudo-terminal: types a line and reads up to the next prompt. */
    private static final class Terminal {
        private static final String PROMPT = "MySQL [customer]> ";
        private final Process process;
        private final StringBuilder output = new StringBuilder();
        private int read;

        Terminal(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (output) {
                            output.append(new String(buf, 0, n, StandardCharsets.UTF_8).replace("\r", ""));
                            output.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        /** What was printed from the last prompt up to and including the next one (at most 60 s). */
        String awaitPrompt() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (output) {
                int at;
                while ((at = output.indexOf(PROMPT, read)) < 0) {
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, "no prompt; the terminal shows:\n" + output);
                    output.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                }
                String text = output.substring(read, at + PROMPT.length());
                read = at + PROMPT.length();
                return text;
            }
        }

        String type(String line) throws Exception {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            return line.equals("quit") ? "" : awaitPrompt();
        }

        String all() {
            synchronized (output) {
                return output.toString();
            }
        }
    }
}
