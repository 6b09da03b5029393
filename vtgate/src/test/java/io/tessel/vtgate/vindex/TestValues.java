package io.tessel.vtgate.vindex;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tessel.proto.Query.Type;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: values written as {@code TYPE:text} ({@code INT64:-1}, {@code VARCHAR:test1}) or {@code NULL}. */
final class TestValues {
    private TestValues() {}

    static Value value(String spec) {
        if (spec.equals("NULL")) {
            return Value.NULL;
        }
        int colon = spec.indexOf(':');
        return Value.of(Type.valueOf(spec.substring(0, colon)), spec.substring(colon + 1));
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The hex keyspace id of one value mapped alone, or "none" for {@link Destination#NONE}. */
    static String mapOne(SingleColumnVindex vindex, String spec) {
        Destination destination = vindex.map(List.of(value(spec))).getFirst();
        return switch (destination) {
            case Destination.KeyspaceId id -> hex(id.ksid());
            case Destination.None none -> "none";
            case Destination.KeyspaceIds ids -> throw new AssertionError("a functional vindex gave " + ids);
            case Destination.AllShards all -> throw new AssertionError("a functional vindex gave every shard");
        };
    }

    static Destination.KeyspaceId keyspaceId(Destination destination) {
        return assertInstanceOf(Destination.KeyspaceId.class, destination);
    }
}
