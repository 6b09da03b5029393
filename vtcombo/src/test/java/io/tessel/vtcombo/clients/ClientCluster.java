package io.tessel.vtcombo.clients;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessel.vtcombo.ComboCluster;
import io.tessel.vtcombo.ComboConfig;
import io.tessel.vttablet.mysqlctl.Mysqld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The sharded cluster the real-client suite runs against, started once per test JVM and closed at its end:
 * keyspace {@code customer} on two shards (each client's tables, and sysbench's {@code sbtest1}, sharded by
 * {@code id} with hash; the clients create them with DDL) and keyspace {@code commerce} unsharded (table {@code product}, for introspection
 * across keyspaces). Every shard has its own MariaDB. Tests get it as a {@link ComboCluster} parameter with
 * {@code @ExtendWith(ClientCluster.class)}.
 */
final class ClientCluster implements ParameterResolver {
    /** Table prefixes, one per client configuration; {@code <prefix>_item} is in customer's VSchema. */
    static final List<String> PREFIXES = List.of("cli", "ps", "tty", "cjsp", "cjtext", "mdbsp", "mdbtext", "node", "tls");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClientCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ComboCluster.class;
    }

    /** The shared cluster for a {@link ComboCluster} parameter; tests are skipped without a system mariadbd. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return get(context);
    }

    private static ComboCluster get(ExtensionContext context) {
        assumeTrue(Mysqld.isAvailable(), "no system mariadbd");
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("cluster", k -> start(), ComboCluster.class);
    }

    private static ComboCluster start() {
        try {
            Path dir = Files.createTempDirectory("tessel-clients-");
            dir.toFile().deleteOnExit();
            Files.createDirectories(dir.resolve("customer"));
            Files.createDirectories(dir.resolve("commerce"));
            String tables = PREFIXES.stream().map(p -> "\"" + p + "_item\": {\"column_vindexes\": "
                    + "[{\"column\": \"id\", \"name\": \"hash\"}]}").collect(Collectors.joining(", "))
                    + ", \"sbtest1\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}]}";
            Files.writeString(dir.resolve("customer/vschema.json"),
                    "{\"sharded\": true, \"vindexes\": {\"hash\": {\"type\": \"hash\"}}, \"tables\": {" + tables + "}}");
            Files.writeString(dir.resolve("commerce/01.sql"),
                    "create table product (sku varchar(32) primary key, price decimal(10,2)) default charset utf8mb4;");
            return ComboCluster.start(ComboConfig.builder().schemaDir(dir).keyspace("customer", 2)
                    .keyspace("commerce", 1).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the client suite's cluster did not start", e);
        }
    }

    /** The CREATE TABLE every client runs for its {@code <prefix>_item} table. */
    static String createItem(String prefix) {
        return "create table " + prefix + "_item (id bigint not null primary key, name varchar(64) not null, "
                + "price decimal(10,2), created datetime(6), qty int default 0, note mediumtext, data longblob, "
                + "key " + prefix + "_item_name (name)) default charset utf8mb4";
    }
}
