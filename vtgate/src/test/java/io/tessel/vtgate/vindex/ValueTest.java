package io.tessel.vtgate.vindex;

import static io.tessel.vtgate.vindex.TestValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query;
import io.tessel.proto.Query.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueTest {
    /** Vitess's evalengine.ToUint64 and Go's strconv rules; errors give their message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "INT64:7 | 7 | 7",
        "INT64:+7 | 7 | 7",
        "INT64:-1 | negative number cannot be converted to unsigned: -1 | 18446744073709551615",
        "INT64:-9223372036854775808 | negative number cannot be converted to unsigned: -9223372036854775808"
                + " | 9223372036854775808",
        "INT64:9223372036854775808 | could not parse value: '9223372036854775808' | "
                + "could not parse value: '9223372036854775808'",
        "UINT64:18446744073709551615 | 18446744073709551615 | 18446744073709551615",
        "UINT64:18446744073709551616 | could not parse value: '18446744073709551616' | "
                + "could not parse value: '18446744073709551616'",
        "UINT64:+1 | could not parse value: '+1' | could not parse value: '+1'",
        "YEAR:2024 | 2024 | 2024",
        "VARCHAR:0007 | 7 | 7",
        "VARCHAR:18446744073709551615 | 18446744073709551615 | 18446744073709551615",
        "VARCHAR:-5 | negative number cannot be converted to unsigned: -5 | "
                + "negative number cannot be converted to unsigned: -5",
        "VARCHAR:- | could not parse value: '-' | could not parse value: '-'",
        "VARCHAR:1e3 | could not parse value: '1e3' | could not parse value: '1e3'",
        "NULL | could not parse value: '' | could not parse value: ''",
        "FLOAT64:200.0 | 200 | 200",
        "FLOAT64:2e2 | 200 | 200",
        "DECIMAL:12.00 | 12 | 12",
        "FLOAT64:-1.0 | number out of uint64 range: -1.0 | 18446744073709551615",
        "FLOAT64:200.5 | could not parse value: '200.5' | could not parse value: '200.5'",
        "FLOAT64:1.0E20 | number out of uint64 range: 1.0E20 | number out of uint64 range: 1.0E20",
    })
    void convertsToUint64(String spec, String toUint64, String toCastUint64) {
        Value v = value(spec);
        assertEquals(toUint64, attempt(v::toUint64));
        assertEquals(toCastUint64, attempt(v::toCastUint64));
    }

    @Test
    void typeClasses() {
        assertEquals(true, Value.ofInt64(1).isSigned());
        assertEquals(false, Value.ofInt64(1).isUnsigned());
        assertEquals(true, Value.ofUint64(1).isUnsigned());
        assertEquals(true, value("YEAR:1999").isUnsigned());
        assertEquals(false, value("VARCHAR:1").isSigned());
        assertEquals(false, value("VARCHAR:1").isUnsigned());
        assertEquals(true, Value.NULL.isNull());
    }

    @Test
    void protoRoundTripAndEquality() {
        Value v = Value.ofUint64(-1);
        Query.Value proto = v.toProto();
        assertEquals(Type.UINT64, proto.getType());
        assertEquals("18446744073709551615", proto.getValue().toStringUtf8());
        assertEquals(v, Value.fromProto(proto));
        assertEquals(v.hashCode(), Value.fromProto(proto).hashCode());
        assertEquals("UINT64(18446744073709551615)", v.toString());
    }

    private interface LongSupplier {
        long get();
    }

    private static String attempt(LongSupplier conversion) {
        try {
            return Long.toUnsignedString(conversion.get());
        } catch (VtException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            return e.getMessage();
        }
    }
}
