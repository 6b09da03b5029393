package io.tessel.common.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class FlagFilesTest {
    @Command(name = "daemon")
    static final class Daemon {
        @Option(names = FlagFiles.CONFIG_FLAG)
        Path config;
        @Option(names = "--grpc-port", defaultValue = "15999")
        int grpcPort;
        @Option(names = "--cell", defaultValue = "zone1")
        String cell;
        @Option(names = "--shards", split = ",", defaultValue = "0")
        List<String> shards;
        @Option(names = "--host", defaultValue = "127.0.0.1")
        String host;
    }

    @TempDir
    Path dir;

    private Daemon parse(Map<String, String> env, String... args) {
        Daemon d = new Daemon();
        FlagFiles.commandLine(d, args, env::get).parseArgs(args);
        return d;
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = Files.writeString(dir.resolve("tessel.yaml"),
                "grpc-port: 1\n--cell: file-cell\nshards: [-80, 80-]\nhost: file-host\n");
        Daemon d = parse(Map.of("GRPC_PORT", "2", "CELL", "env-cell"), "--config", file.toString(), "--grpc-port", "3");
        assertEquals(3, d.grpcPort, "the flag wins");
        assertEquals("env-cell", d.cell, "the environment beats the file");
        assertEquals(List.of("-80", "80-"), d.shards, "a YAML list is a comma-separated flag value");
        assertEquals("file-host", d.host, "the file beats the default");
        Daemon defaults = parse(Map.of());
        assertEquals(15999, defaults.grpcPort);
        assertEquals("zone1", defaults.cell);
    }

    @Test
    void theFileCanBeNamedByTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("c.yml"), "cell: from-file\n");
        assertEquals("from-file", parse(Map.of("CONFIG", file.toString())).cell);
        assertEquals("from-file", parse(Map.of(), "--config=" + file).cell);
    }

    @Test
    void unknownFlagsAndBadFilesAreClearErrors() throws IOException {
        Path unknown = Files.writeString(dir.resolve("u.yaml"), "grpc-prot: 1\n");
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse(Map.of(), "--config", unknown.toString()));
        assertTrue(e.getMessage().contains("unknown flags [grpc-prot]"), e.getMessage());
        Path nested = Files.writeString(dir.resolve("n.yaml"), "cell: {a: b}\n");
        e = assertThrows(CommandLine.ParameterException.class, () -> parse(Map.of(), "--config", nested.toString()));
        assertTrue(e.getMessage().contains("'cell' must be a value or a list"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class,
                () -> parse(Map.of(), "--config", dir.resolve("missing.yaml").toString()));
        assertTrue(e.getMessage().startsWith("cannot read config file"), e.getMessage());
        Path bad = Files.writeString(dir.resolve("b.yaml"), "grpc-port: many\n");
        e = assertThrows(CommandLine.ParameterException.class, () -> parse(Map.of(), "--config", bad.toString()));
        assertTrue(e.getMessage().contains("many"), e.getMessage());
    }
}
