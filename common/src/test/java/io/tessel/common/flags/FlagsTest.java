package io.tessel.common.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlagsTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "30, 30000", "5m, 300000", "1h, 3600000", "0s, 0"})
    void durations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "10x", "ms", "1.5s"})
    void badDurationsNameTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals(true, e.getMessage().contains("'" + text + "'"));
    }

    @ParameterizedTest
    @CsvSource({"--mysql-port, MYSQL_PORT", "--topo-global-server-address, TOPO_GLOBAL_SERVER_ADDRESS"})
    void envNames(String flag, String env) {
        assertEquals(env, EnvDefaults.envName(flag));
    }
}
