package io.tessel.vtgate.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed X.509 v3 certificate and its RSA key, made with the JDK alone (no BouncyCastle, which Netty's
 * own {@code SelfSignedCertificate} needs on JDK 21+): the certificate is assembled in DER ({@link Der}) and
 * signed with SHA256withRSA. It names {@code localhost}, {@code 127.0.0.1} and {@code ::1} as subject
 * alternative names, so clients that verify the host name accept it when they trust it (e.g.
 * {@code mariadb --ssl-ca=cert.pem}), and is its own CA (basicConstraints CA:TRUE).
 *
 * @param certificate the certificate
 * @param privateKey  its RSA private key
 */
public record SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey) {
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";

    /** A certificate for {@code commonName}, valid from a day ago (clock skew) for {@code validity}. */
    public static SelfSignedCertificate generate(String commonName, Duration validity) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair pair = gen.generateKeyPair();
            byte[] name = name(commonName);
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
            byte[] algorithm = Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue());
            byte[] tbs = Der.sequence(
                    Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                    Der.integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
                    algorithm, name,
                    Der.sequence(Der.time(now.minusDays(1)), Der.time(now.plus(validity))),
                    name,
                    pair.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
                    Der.explicit(3, Der.sequence(subjectAltNames(), basicConstraints())));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(pair.getPrivate());
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new SelfSignedCertificate(cert, pair.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("BUG: cannot make a self-signed certificate", e);
        }
    }

    /** Writes the certificate and the key (PKCS#8, readable by the owner only) as PEM files. */
    public void writePem(Path certFile, Path keyFile) throws IOException {
        try {
            PemFiles.write(certFile, "CERTIFICATE", certificate.getEncoded(), false);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("BUG: the certificate does not encode", e);
        }
        PemFiles.write(keyFile, "PRIVATE KEY", privateKey.getEncoded(), true);
    }

    private static byte[] name(String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8String("Tessel"))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
    }

    private static byte[] subjectAltNames() throws IOException {
        List<byte[]> names = new ArrayList<>();
        names.add(Der.implicit(2, "localhost".getBytes(StandardCharsets.US_ASCII))); // dNSName
        for (String ip : List.of("127.0.0.1", "::1")) {
            names.add(Der.implicit(7, InetAddress.getByName(ip).getAddress())); // iPAddress
        }
        return Der.sequence(Der.oid(SUBJECT_ALT_NAME),
                Der.octetString(Der.sequence(names.toArray(byte[][]::new))));
    }

    private static byte[] basicConstraints() {
        return Der.sequence(Der.oid(BASIC_CONSTRAINTS), Der.bool(true), Der.octetString(Der.sequence(Der.bool(true))));
    }
}
