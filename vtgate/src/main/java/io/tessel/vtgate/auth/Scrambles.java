package io.tessel.vtgate.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;

/**
 * The password scrambles of {@code mysql_native_password} and {@code caching_sha2_password}, checked
 * without ever seeing the password on the wire. Stateless and thread-safe.
 */
public final class Scrambles {
    public static final String MYSQL_NATIVE_PASSWORD = "mysql_native_password";
    public static final String CACHING_SHA2_PASSWORD = "caching_sha2_password";
    public static final int SCRAMBLE_LENGTH = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Scrambles() {}

    /** 20 random printable bytes (no NUL, as MySQL's handshake requires). */
    public static byte[] newScramble() {
        byte[] s = new byte[SCRAMBLE_LENGTH];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (33 + RANDOM.nextInt(94));
        }
        return s;
    }

    public static byte[] nativeHash(String password) {
        return digest("SHA-1", digest("SHA-1", password.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks a mysql_native_password response: response = SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))).
     * Only the stored hash SHA1(SHA1(pw)) is needed.
     */
    public static boolean verifyNative(byte[] scramble, byte[] response, byte[] hash) {
        if (response.length == 0) {
            return MessageDigest.isEqual(hash, nativeHash(""));
        }
        if (response.length != 20) {
            return false;
        }
        byte[] mask = digest("SHA-1", concat(scramble, hash));
        byte[] stage1 = xor(response, mask);
        return MessageDigest.isEqual(digest("SHA-1", stage1), hash);
    }

    /**
     * Checks a caching_sha2_password fast-path response:
     * XOR(SHA256(pw), SHA256(SHA256(SHA256(pw)) + scramble)).
     */
    public static boolean verifyCachingSha2(byte[] scramble, byte[] response, String password) {
        if (password.isEmpty()) {
            return response.length == 0 || (response.length == 1 && response[0] == 0);
        }
        if (response.length != 32) {
            return false;
        }
        byte[] p1 = digest("SHA-256", password.getBytes(StandardCharsets.UTF_8));
        byte[] p2 = digest("SHA-256", p1);
        byte[] expected = xor(p1, digest("SHA-256", concat(p2, scramble)));
        return MessageDigest.isEqual(expected, response);
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("BUG: JDK lacks " + algorithm, e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** XOR of {@code data} with {@code key} repeated as needed. */
    static byte[] xor(byte[] data, byte[] key) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ key[i % key.length]);
        }
        return out;
    }
}
