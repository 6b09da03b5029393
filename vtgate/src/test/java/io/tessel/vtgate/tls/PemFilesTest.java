package io.tessel.vtgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys in the PEM forms OpenSSL writes, and the errors for the ones not read. */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void pkcs1RsaKeysAreReadAsOpenSsl1WritesThem() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate("localhost", Duration.ofDays(1));
        byte[] pkcs8 = cert.privateKey().getEncoded();
        // PKCS#8 = SEQ { INTEGER 0, SEQ { rsaEncryption, NULL }, OCTET STRING { PKCS#1 } }: the PKCS#1 key is the tail
        byte[] pkcs1 = tailOctetString(pkcs8);
        Path key = dir.resolve("rsa.pem");
        PemFiles.write(key, "RSA PRIVATE KEY", pkcs1, true);
        assertEquals(cert.privateKey(), PemFiles.readPrivateKey(key));
        Path certFile = dir.resolve("cert.pem");
        PemFiles.write(certFile, "CERTIFICATE", cert.certificate().getEncoded(), false);
        ServerTls.fromPem(certFile, key);
    }

    @Test
    void pkcs8EcKeysAfterParameters() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey ec = gen.generateKeyPair().getPrivate();
        Path key = dir.resolve("ec.pem");
        Files.writeString(key, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + pem("PRIVATE KEY", ec.getEncoded()));
        assertEquals(ec, PemFiles.readPrivateKey(key));
    }

    @Test
    void unreadableKeysSayWhatToDo() throws Exception {
        Path encrypted = dir.resolve("enc.pem");
        Files.writeString(encrypted, pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemFiles.readPrivateKey(encrypted))
                .getMessage().contains("encrypted"));
        Path sec1 = dir.resolve("sec1.pem");
        Files.writeString(sec1, pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemFiles.readPrivateKey(sec1))
                .getMessage().contains("openssl pkcs8 -topk8"));
        Path none = dir.resolve("none.pem");
        Files.writeString(none, "nothing here");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemFiles.readPrivateKey(none))
                .getMessage().contains("no PEM private key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemFiles.readCertificates(none))
                .getMessage().startsWith(none.toString()));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        SelfSignedCertificate a = SelfSignedCertificate.generate("a", Duration.ofDays(1));
        SelfSignedCertificate b = SelfSignedCertificate.generate("b", Duration.ofDays(1));
        Path cert = dir.resolve("a.pem");
        Path key = dir.resolve("b-key.pem");
        PemFiles.write(cert, "CERTIFICATE", a.certificate().getEncoded(), false);
        PemFiles.write(key, "PRIVATE KEY", b.privateKey().getEncoded(), true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerTls.fromPem(cert, key)).getMessage()
                .contains("does not belong to the certificate"));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The contents of the last element of a DER SEQUENCE, an OCTET STRING with a long-form length. */
    private static byte[] tailOctetString(byte[] der) {
        for (int i = der.length - 1; i > 0; i--) { // find 04 82 hi lo whose length reaches the end exactly
            if (der[i] == 0x04 && (der[i + 1] & 0xFF) == 0x82) {
                int len = (der[i + 2] & 0xFF) << 8 | der[i + 3] & 0xFF;
                if (i + 4 + len == der.length) {
                    return Arrays.copyOfRange(der, i + 4, der.length);
                }
            }
        }
        throw new IllegalStateException("no trailing OCTET STRING");
    }
}
