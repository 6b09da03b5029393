package io.tessel.vtgate.engine;

import static io.tessel.vtgate.engine.TestResults.assertRows;
import static io.tessel.vtgate.engine.TestResults.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessel.proto.Query.QueryResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowsTest {
    @Test
    void returnsItsRowsUnaffectedByLaterChangesToTheArrays() {
        byte[][] row = {"ks".getBytes(StandardCharsets.UTF_8), null};
        List<byte[][]> rows = new ArrayList<>();
        rows.add(row);
        Rows primitive = new Rows(fields("Database:VARCHAR", "x:INT64"), rows);
        row[0][0] = 'X';
        rows.clear();
        QueryResult out = primitive.execute(new FakeVCursor(), Map.of());
        assertRows(out, "ks|NULL");
        assertEquals(2, out.getFieldsCount());
        assertEquals("{\"OperatorType\":\"Rows\",\"RowCount\":1}", primitive.describe().toJson().toString());
        assertEquals(List.of(), primitive.inputs());
    }

    @Test
    void rowsMustMatchTheFields() {
        assertThrows(IllegalArgumentException.class,
                () -> new Rows(fields("a:INT64"), List.<byte[][]>of(new byte[2][])));
    }
}
