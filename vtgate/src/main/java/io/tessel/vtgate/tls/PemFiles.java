package io.tessel.vtgate.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes PEM files: certificate chains, and private keys in PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA,
 * EC, Ed25519) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, which OpenSSL 1.x writes). Encrypted keys and SEC1 EC
 * keys are refused with a message saying how to convert them. Errors are {@link IllegalArgumentException}s
 * naming the file, for flags.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

    private PemFiles() {}

    /** The certificates of a PEM file, the server's own first. */
    public static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(file + ": no certificate found (expected PEM)");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the certificate: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM file. */
    public static PrivateKey readPrivateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the key: " + e.getMessage(), e);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, der);
                }
                case "RSA PRIVATE KEY" -> { // PKCS#1: wrap it in PKCS#8
                    return pkcs8(file, Der.sequence(Der.integer(java.math.BigInteger.ZERO),
                            Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullValue()), Der.octetString(der)));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(file + ": the key is encrypted; "
                        + "decrypt it first: openssl pkcs8 -in " + file + " -out key.pem");
                case "EC PRIVATE KEY" -> throw new IllegalArgumentException(file + ": SEC1 EC keys are not read; "
                        + "convert to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                default -> { } // e.g. EC PARAMETERS before the key
            }
        }
        throw new IllegalArgumentException(file + ": no PEM private key found");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(file + ": the private key is neither RSA, EC nor Ed25519");
    }

    /** Writes one PEM block; with {@code isPrivate} the file is created readable by its owner only. */
    public static void write(Path file, String type, byte[] der, boolean isPrivate) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
        Files.deleteIfExists(file);
        if (isPrivate && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
