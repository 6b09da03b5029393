package io.tessel.common.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Tessel build's version (the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}), for status pages. */
public final class Version {
    private static final String CURRENT = read();

    private Version() {}

    /** This build's version; {@code unknown} when the classes were not built by Maven. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
