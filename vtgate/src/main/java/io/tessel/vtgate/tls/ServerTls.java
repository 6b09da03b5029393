package io.tessel.vtgate.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS on vtgate's MySQL port: a Netty {@link SslContext} on the JDK's TLS implementation
 * (TLS 1.2 and 1.3), from PEM files (Vitess's {@code --mysql-server-ssl-cert} and {@code --mysql-server-ssl-key})
 * or a certificate in memory. Client certificates are not asked for.
 */
public final class ServerTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ServerTls() {}

    /**
     * @throws IllegalArgumentException when a file cannot be read, or the key does not match the certificate
     */
    public static SslContext fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = PemFiles.readCertificates(certFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("TLS: the key in " + keyFile + " does not belong to the certificate in "
                    + certFile);
        }
        try {
            return context(key, chain);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS: " + certFile + " and " + keyFile + " do not make a server "
                    + "certificate: " + e.getMessage(), e);
        }
    }

    public static SslContext of(SelfSignedCertificate cert) {
        try {
            return context(cert.privateKey(), List.of(cert.certificate()));
        } catch (SSLException e) {
            throw new IllegalStateException("BUG: a self-signed certificate is refused: " + e.getMessage(), e);
        }
    }

    /** True when the key signs what the certificate's public key verifies. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, EdDSA
        };
        try {
            byte[] probe = "tessel".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static SslContext context(PrivateKey key, List<X509Certificate> chain) throws SSLException {
        return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
    }
}
