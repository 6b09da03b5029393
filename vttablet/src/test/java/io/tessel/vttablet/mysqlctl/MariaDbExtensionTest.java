package io.tessel.vttablet.mysqlctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MariaDbExtensionTest {
    @Test
    void externalUrlGivesHostPortUserAndPassword() {
        MariaDbExtension.Endpoint e = MariaDbExtension.parse("jdbc:mysql://db.local:3307/?user=app&password=p%26w");
        assertEquals("db.local", e.host());
        assertEquals(3307, e.port());
        assertEquals("app", e.user());
        assertEquals("p&w", e.password());
    }

    @Test
    void defaultsAreRootWithoutPasswordOnPort3306() {
        MariaDbExtension.Endpoint e = MariaDbExtension.parse("jdbc:mysql://127.0.0.1/");
        assertEquals(3306, e.port());
        assertEquals("root", e.user());
        assertEquals("", e.password());
    }
}
