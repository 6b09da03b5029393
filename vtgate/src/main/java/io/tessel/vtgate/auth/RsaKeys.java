package io.tessel.vtgate.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;

/**
 * The RSA key pair for caching_sha2_password full authentication without TLS: the client asks for
 * the public key, encrypts (password XOR scramble) with RSA-OAEP, and vtgate decrypts it. The pair is
 * generated once per process. Thread-safe.
 */
public final class RsaKeys {
    private final KeyPair pair;
    private final byte[] publicKeyPem;

    private RsaKeys(KeyPair pair) {
        this.pair = pair;
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded());
        this.publicKeyPem = ("-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static RsaKeys generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return new RsaKeys(gen.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("BUG: cannot generate an RSA key pair", e);
        }
    }

    public byte[] publicKeyPem() {
        return publicKeyPem.clone();
    }

    /** The password the client sent, or empty when the payload does not decrypt. */
    public Optional<String> decryptPassword(byte[] encrypted, byte[] scramble) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.DECRYPT_MODE, pair.getPrivate());
            byte[] plain = Scrambles.xor(cipher.doFinal(encrypted), scramble);
            int len = plain.length;
            if (len > 0 && plain[len - 1] == 0) {
                len--;
            }
            return Optional.of(new String(plain, 0, len, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
