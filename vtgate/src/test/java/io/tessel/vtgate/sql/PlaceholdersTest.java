package io.tessel.vtgate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlaceholdersTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("select * from t where id = ?", "select * from t where id = :v1", 1),
                Arguments.of("insert into t values (?,?, ?)", "insert into t values (:v1,:v2, :v3)", 3),
                Arguments.of("select '?', \"?\", `?` from t where a=?", "select '?', \"?\", `?` from t where a=:v1", 1),
                Arguments.of("select 1 /* ? */ from t # ?", "select 1 /* ? */ from t # ?", 0),
                Arguments.of("select 1 -- ?\nfrom t where x = ?", "select 1 -- ?\nfrom t where x = :v1", 1),
                Arguments.of("select /*!50000 ? */ from t", "select /*!50000 :v1 */ from t", 1),
                Arguments.of("select 'it''s ?' , ? from t limit ?", "select 'it''s ?' , :v1 from t limit :v2", 2),
                Arguments.of("select ?from t", "select :v1 from t", 1),
                Arguments.of("select 'a\\'?', ?", "select 'a\\'?', :v1", 1),
                Arguments.of("select 1", "select 1", 0));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void markersOutsideStringsAndCommentsBecomeBindVariables(String sql, String expected, int count) {
        Placeholders p = Placeholders.of(sql);
        assertEquals(expected, p.sql());
        assertEquals(count, p.count());
    }
}
