package io.tessel.common.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class EffectiveFlagsTest {
    @Command(name = "d", mixinStandardHelpOptions = true)
    static final class Daemon {
        @Option(names = "--port", defaultValue = "15306")
        int port;
        @Option(names = "--mysql-password", defaultValue = "")
        String password;
        @Option(names = "--db-credentials-token")
        String token;
        @Option(names = "--mysql-url", split = ",")
        List<String> urls;
        @Option(names = {"-c", "--cell"}, defaultValue = "zone1")
        String cell;
    }

    @Test
    void valuesAsParsedWithSecretsMasked() {
        CommandLine cmd = new CommandLine(new Daemon());
        cmd.parseArgs("--port", "1", "--mysql-password", "hunter2",
                "--mysql-url", "mysql://root:pw@h:3306,mysql://u@h2:1");
        Map<String, String> flags = EffectiveFlags.of(cmd.getCommandSpec());
        assertEquals(List.of("--port", "--mysql-password", "--db-credentials-token", "--mysql-url", "--cell"),
                List.copyOf(flags.keySet()), "declaration order, longest names, no --help or --version");
        assertEquals("1", flags.get("--port"));
        assertEquals("****", flags.get("--mysql-password"));
        assertEquals("", flags.get("--db-credentials-token"), "an empty secret shows as empty");
        assertEquals("mysql://root:****@h:3306,mysql://u@h2:1", flags.get("--mysql-url"));
        assertEquals("zone1", flags.get("--cell"));
    }

    @Test
    void emptySecretStaysEmpty() {
        CommandLine cmd = new CommandLine(new Daemon());
        cmd.parseArgs();
        assertEquals("", EffectiveFlags.of(cmd.getCommandSpec()).get("--mysql-password"));
    }
}
