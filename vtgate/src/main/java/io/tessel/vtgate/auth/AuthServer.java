package io.tessel.vtgate.auth;

import java.util.List;
import java.util.Optional;

/**
 * Where vtgate looks up the users allowed to connect. Implementations are immutable and thread-safe.
 */
public interface AuthServer {
    /** A user entry; {@code password} is the plaintext (may be null) and {@code nativeHash} the
     * mysql_native_password hash SHA1(SHA1(password)) (may be null when a plaintext is known). */
    record User(String name, String password, byte[] nativeHash, List<String> roles) {}

    /** The entry for {@code user}, or empty when the user may not connect. */
    Optional<User> lookup(String user);

    /** True when any password is accepted (the {@code none} mode for local use). */
    default boolean acceptsAnyPassword() {
        return false;
    }

    /** The {@code none} mode: any user, any password. */
    static AuthServer none() {
        return new AuthServer() {
            @Override
            public Optional<User> lookup(String user) {
                return Optional.of(new User(user, null, null, List.of()));
            }

            @Override
            public boolean acceptsAnyPassword() {
                return true;
            }
        };
    }
}
