package io.tessel.vtgate.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users from a static JSON file in Vitess's {@code mysql_auth_server_static} format:
 * <pre>{"user1": [{"Password": "pw", "Groups": ["admin"]}], "user2": {"MysqlNativePassword": "*6C8989..."}}</pre>
 * An entry holds a plaintext {@code Password} or a {@code MysqlNativePassword} hash; {@code Groups}
 * (or {@code Roles}) are the user's roles. Immutable after load.
 */
public final class StaticAuthServer implements AuthServer {
    private final Map<String, User> users;

    public StaticAuthServer(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    public static StaticAuthServer load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "cannot read auth file " + file + ": " + e.getMessage(), e);
        }
    }

    public static StaticAuthServer parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid auth file JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "auth file must be a JSON object of users");
        }
        Map<String, User> users = new java.util.HashMap<>();
        root.fields().forEachRemaining(e -> {
            JsonNode node = e.getValue().isArray() ? e.getValue().path(0) : e.getValue();
            users.put(e.getKey(), user(e.getKey(), node));
        });
        return new StaticAuthServer(users);
    }

    private static User user(String name, JsonNode node) {
        if (!node.isObject()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "auth file: entry for user '" + name + "' must be an object");
        }
        String password = node.hasNonNull("Password") ? node.get("Password").asText() : null;
        byte[] nativeHash = null;
        if (node.hasNonNull("MysqlNativePassword")) {
            String h = node.get("MysqlNativePassword").asText();
            if (!h.matches("\\*[0-9A-Fa-f]{40}")) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT,
                        "auth file: MysqlNativePassword of user '" + name + "' must be '*' and 40 hex digits");
            }
            nativeHash = HexFormat.of().parseHex(h.substring(1));
        }
        if (password == null && nativeHash == null) {
            password = "";
        }
        List<String> roles = new ArrayList<>();
        JsonNode groups = node.has("Groups") ? node.get("Groups") : node.path("Roles");
        groups.forEach(g -> roles.add(g.asText()));
        return new User(name, password, nativeHash, List.copyOf(roles));
    }

    @Override
    public Optional<User> lookup(String user) {
        return Optional.ofNullable(users.get(user));
    }
}
