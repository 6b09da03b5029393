package io.tessel.vtgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK-only self-signed certificate: what the JDK's X.509 parser reads back from its DER. */
class SelfSignedCertificateTest {
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.generate("localhost", Duration.ofDays(30));

    @TempDir
    Path dir;

    @Test
    void isAValidSelfSignedV3Certificate() throws Exception {
        X509Certificate c = CERT.certificate();
        assertEquals(3, c.getVersion());
        assertEquals("CN=localhost, O=Tessel", c.getSubjectX500Principal().getName().replace(",", ", "));
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        c.verify(c.getPublicKey()); // signed by its own key
        c.checkValidity(new Date());
        assertTrue(c.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(29))));
        assertEquals("SHA256withRSA", c.getSigAlgName());
        assertEquals(Integer.MAX_VALUE, c.getBasicConstraints(), "a CA without a path length limit");
        assertTrue(ServerTls.matches(CERT.privateKey(), c.getPublicKey()));
    }

    @Test
    void namesLocalhostAndTheLoopbackAddresses() throws Exception {
        Set<List<?>> names = Set.copyOf(CERT.certificate().getSubjectAlternativeNames().stream().map(l -> (List<?>) l).toList());
        assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")), names);
    }

    @Test
    void pemFilesReadBackAndTheKeyIsPrivate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        CERT.writePem(cert, key);
        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertEquals(List.of(CERT.certificate()), PemFiles.readCertificates(cert));
        assertEquals(CERT.privateKey(), PemFiles.readPrivateKey(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        ServerTls.fromPem(cert, key); // a usable server context
    }

    @Test
    void derLengthsAndObjectIdentifiers() {
        assertEquals("06092a864886f70d01010b", hex(Der.oid("1.2.840.113549.1.1.11")));
        assertEquals("0603551d11", hex(Der.oid("2.5.29.17")));
        byte[] big = Der.octetString(new byte[300]);
        assertEquals("0482012c", hex(java.util.Arrays.copyOf(big, 4)));
        assertEquals(304, big.length);
        assertEquals("047f", hex(java.util.Arrays.copyOf(Der.octetString(new byte[127]), 2)), "short form");
        assertEquals("048180", hex(java.util.Arrays.copyOf(Der.octetString(new byte[128]), 3)), "long form");
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
