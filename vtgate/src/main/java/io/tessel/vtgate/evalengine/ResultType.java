package io.tessel.vtgate.evalengine;

import io.tessel.proto.Query.Field;
import io.tessel.proto.Query.Type;
import java.util.Objects;

/**
 * The MySQL type of an expression's values: the Vitess type, the decimals shown (a DECIMAL's scale, 31 for a
 * DOUBLE without a fixed scale) and the collation (63 for numbers and binary strings).
 */
public record ResultType(Type type, int decimals, int charset) {
    /** MySQL's {@code NOT_FIXED_DEC}: the decimals of a DOUBLE whose scale is not fixed. */
    public static final int NOT_FIXED_DEC = 31;

    public ResultType {
        Objects.requireNonNull(type, "type");
    }

    /** An output field of this type named {@code name}. */
    public Field toField(String name) {
        return Field.newBuilder().setName(name).setType(type).setDecimals(decimals).setCharset(charset)
                .setColumnLength(columnLength()).build();
    }

    private int columnLength() {
        return switch (type) {
            case INT64 -> 21;
            case UINT64 -> 20;
            case FLOAT64 -> 23;
            case DECIMAL -> 65 + 2;
            default -> 0;
        };
    }
}
