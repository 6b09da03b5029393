package io.tessel.vtgate.exec;

import io.tessel.proto.Topodata.TabletType;

/**
 * A database name in Vitess's target syntax: {@code keyspace[:shard][@type]}, e.g. {@code commerce},
 * {@code commerce:-80}, {@code commerce@replica}. Immutable.
 */
public record TargetString(String keyspace, String shard, TabletType tabletType) {

    public static TargetString parse(String s, TabletType defaultType) {
        String rest = s;
        TabletType type = defaultType;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            type = parseType(rest.substring(at + 1), defaultType);
            rest = rest.substring(0, at);
        }
        String shard = "";
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            shard = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new TargetString(rest, shard, type);
    }

    private static TabletType parseType(String s, TabletType fallback) {
        return switch (s.toLowerCase()) {
            case "primary", "master" -> TabletType.PRIMARY;
            case "replica" -> TabletType.REPLICA;
            case "rdonly", "batch" -> TabletType.RDONLY;
            default -> fallback;
        };
    }
}
