package io.tessel.vttablet;

import io.tessel.common.flags.Durations;
import io.tessel.common.flags.EnvDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessel.proto.Topodata.TabletType;
import io.tessel.vttablet.consolidate.ConsolidatorConfig;
import io.tessel.vttablet.txserializer.HotRowConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VtTabletTest {
    static final List<String> FLAGS = List.of("--tablet-alias", "--keyspace", "--shard", "--tablet-type", "--db-name",
            "--mysql-host", "--mysql-port", "--mysql-user", "--mysql-password", "--grpc-port", "--bind-address",
            "--queryserver-config-pool-size", "--queryserver-config-transaction-cap",
            "--queryserver-config-stream-pool-size", "--queryserver-config-txpool-timeout",
            "--queryserver-config-transaction-timeout", "--queryserver-config-query-timeout",
            "--queryserver-config-lock-wait-timeout", "--queryserver-config-max-result-size", "--queryserver-config-warn-result-size",
            "--queryserver-config-query-pool-timeout", "--queryserver-config-query-pool-waiter-cap",
            "--queryserver-config-txpool-waiter-cap", "--enable-consolidator", "--enable-consolidator-replicas",
            "--consolidator-query-waiter-cap", "--enable-hot-row-protection", "--enable-hot-row-protection-dry-run",
            "--hot-row-protection-max-queue-size", "--hot-row-protection-max-global-queue-size",
            "--hot-row-protection-concurrent-transactions", "--http-port", "--shutdown-grace-period");

    @Test
    void helpListsEveryFlagWithItsDefault() {
        String help = new CommandLine(new VtTablet()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String flag : FLAGS) {
            assertTrue(help.contains(flag), flag + " missing from\n" + help);
        }
        for (String dflt : List.of("Default: 16100", "Default: 3306", "Default: 127.0.0.1", "Default: root",
                "Default: primary", "Default: 16", "Default: 20", "Default: 200", "Default: 1s", "Default: 30s", "Default: 10000",
                "Default: 15100")) {
            assertTrue(help.contains(dflt), dflt + " missing from\n" + help);
        }
        assertTrue(help.contains("MYSQL_PORT"), "help explains the environment variables");
    }

    @Test
    void flagsBecomeATabletConfig() {
        VtTablet cmd = new VtTablet();
        new CommandLine(cmd).parseArgs("--tablet-alias=zone1-100", "--keyspace=commerce", "--mysql-port=17100",
                "--tablet-type=REPLICA", "--queryserver-config-txpool-timeout=250ms", "--grpc-port=0");
        TabletConfig c = cmd.toConfig();
        assertEquals("zone1", c.alias().getCell());
        assertEquals(100, c.alias().getUid());
        assertEquals("commerce", c.dbName(), "the database defaults to the keyspace");
        assertEquals("0", c.shard());
        assertEquals(TabletType.REPLICA, c.tabletType());
        assertEquals(17100, c.mysqlPort());
        assertEquals(Duration.ofMillis(250), c.txPoolTimeout());
        assertEquals(16, c.poolSize());
        assertEquals(20, c.transactionCap());
        assertEquals(200, c.streamPoolSize());
        assertEquals(10_000, c.maxResultSize());
        assertEquals(Duration.ofSeconds(30), c.transactionTimeout());
        assertEquals(Duration.ofSeconds(30), c.queryTimeout());
        assertEquals("vttablet zone1-100 commerce/0", c.logPrefix());
        assertEquals(0, c.warnResultSize());
        assertEquals(Duration.ofSeconds(30), c.effectivePoolTimeout(), "the query timeout by default");
        assertEquals(5000, c.queryPoolWaiterCap());
        assertEquals(5000, c.txPoolWaiterCap());
        assertEquals(ConsolidatorConfig.DEFAULTS, c.consolidator());
        assertEquals(HotRowConfig.DEFAULTS, c.hotRows());
        assertEquals(15100, cmd.httpPort, "the operations contract's port (docs/operations.md)");
        assertEquals("30s", cmd.shutdownGracePeriod);
        assertEquals(Duration.ofSeconds(31), c.poolConfig().statementTimeout(), "MySQL's own timeout is a backstop");
        assertEquals(10_001, c.poolConfig().selectLimit());
        assertEquals(Duration.ofSeconds(15), c.poolConfig().lockWaitTimeout(), "half the query timeout by default");
    }

    @Test
    void theLockWaitTimeoutStaysBelowTheQueryTimeout() {
        VtTablet cmd = new VtTablet();
        new CommandLine(cmd).parseArgs("--tablet-alias=zone1-100", "--keyspace=commerce",
                "--queryserver-config-lock-wait-timeout=1500ms");
        assertEquals(Duration.ofSeconds(2), cmd.toConfig().effectiveLockWaitTimeout(), "whole seconds, rounded up");
        VtTablet tooLong = new VtTablet();
        new CommandLine(tooLong).parseArgs("--tablet-alias=zone1-100", "--keyspace=commerce",
                "--queryserver-config-lock-wait-timeout=30s");
        assertTrue(assertThrows(IllegalArgumentException.class, tooLong::toConfig).getMessage()
                .contains("must be below the query timeout"));
        VtTablet noQueryTimeout = new VtTablet();
        new CommandLine(noQueryTimeout).parseArgs("--tablet-alias=zone1-100", "--keyspace=commerce",
                "--queryserver-config-query-timeout=0");
        assertEquals(Duration.ZERO, noQueryTimeout.toConfig().effectiveLockWaitTimeout(), "the server's own");
    }

    @Test
    void protectionFlagsBecomeTheirConfigs() {
        VtTablet cmd = new VtTablet();
        new CommandLine(cmd).parseArgs("--tablet-alias=zone1-100", "--keyspace=ks", "--enable-consolidator=false",
                "--enable-consolidator-replicas", "--consolidator-query-waiter-cap=7", "--enable-hot-row-protection",
                "--hot-row-protection-max-queue-size=3", "--hot-row-protection-concurrent-transactions=2",
                "--queryserver-config-warn-result-size=500", "--queryserver-config-query-pool-timeout=2s",
                "--queryserver-config-query-pool-waiter-cap=10", "--http-port=15101");
        TabletConfig c = cmd.toConfig();
        assertEquals(new ConsolidatorConfig(false, true, 7), c.consolidator());
        assertEquals(new HotRowConfig(true, false, 3, 1000, 2), c.hotRows());
        assertEquals(500, c.warnResultSize());
        assertEquals(Duration.ofSeconds(2), c.poolConfig().poolTimeout());
        assertEquals(10, c.poolConfig().queryWaiterCap());
        assertEquals(15101, cmd.httpPort);
    }

    @Test
    void environmentVariablesNameTheFlags() {
        assertEquals("MYSQL_PORT", EnvDefaults.envName("--mysql-port"));
        assertEquals("QUERYSERVER_CONFIG_POOL_SIZE", EnvDefaults.envName("--queryserver-config-pool-size"));
        VtTablet cmd = new VtTablet();
        Map<String, String> env = Map.of("MYSQL_PORT", "17200", "KEYSPACE", "ks", "TABLET_ALIAS", "z-1");
        CommandLine cl = new CommandLine(cmd).setDefaultValueProvider(new EnvDefaults(env::get));
        cl.parseArgs("--grpc-port=5");
        TabletConfig c = cmd.toConfig();
        assertEquals(17200, c.mysqlPort());
        assertEquals("ks", c.keyspace());
        assertEquals(5, c.grpcPort(), "a flag beats the environment");
    }

    @Test
    void missingIdentityIsAUsageError() {
        VtTablet cmd = new VtTablet();
        int rc = new CommandLine(cmd).setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .setDefaultValueProvider(new EnvDefaults(k -> null)).execute("--keyspace=ks");
        assertEquals(2, rc, "picocli's usage-error exit code");
    }

    @Test
    void durationsParseLikeVitessFlags() {
        assertEquals(Duration.ofSeconds(1), Durations.parse("1s"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("3"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("3x"));
    }

    @Test
    void tabletTypesParseCaseInsensitively() {
        assertEquals(TabletType.PRIMARY, VtTablet.parseTabletType("primary"));
        assertEquals(TabletType.RDONLY, VtTablet.parseTabletType("rdonly"));
        assertThrows(IllegalArgumentException.class, () -> VtTablet.parseTabletType("unknown"));
        assertThrows(IllegalArgumentException.class, () -> VtTablet.parseTabletType("leader"));
    }

    @Test
    void aliasMustBeCellDashUid() {
        assertEquals(7, TabletConfig.parseAlias("my-cell-7").getUid());
        assertEquals("my-cell", TabletConfig.parseAlias("my-cell-7").getCell());
        assertThrows(IllegalArgumentException.class, () -> TabletConfig.parseAlias("zone1"));
        assertThrows(IllegalArgumentException.class, () -> TabletConfig.parseAlias("zone1-x"));
        assertThrows(IllegalArgumentException.class, () -> TabletConfig.parseAlias("-5"));
    }

    @Test
    void configNeverPrintsThePassword() {
        TabletConfig c = TabletConfig.builder("zone1-1", "ks").mysql("h", 1, "u", "s3cret").build();
        assertTrue(!c.toString().contains("s3cret"));
        assertTrue(!c.poolConfig().toString().contains("s3cret"));
    }
}
