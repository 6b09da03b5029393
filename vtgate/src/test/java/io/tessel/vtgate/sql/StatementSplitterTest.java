package io.tessel.vtgate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatementSplitterTest {
    @Test
    void splitsAtSemicolonsAndDropsEmptyStatements() {
        assertEquals(List.of("select 1", "select 2"), StatementSplitter.split("select 1; select 2;"));
        assertEquals(List.of("select 1", "select 2"), StatementSplitter.split("select 1;;\n select 2 ; -- done"));
        assertEquals(List.of("select 1"), StatementSplitter.split("select 1;  /* nothing */ ;"));
        assertEquals(List.of(), StatementSplitter.split(" ; "));
    }

    static Stream<Arguments> quoted() {
        return Stream.of(
                Arguments.of("select 'a;b'; select 2", "select 'a;b'"),
                Arguments.of("select \"a;b\"; select 2", "select \"a;b\""),
                Arguments.of("select `a;b` from t; select 2", "select `a;b` from t"),
                Arguments.of("select 'it''s;'; select 2", "select 'it''s;'"),
                Arguments.of("select 'x\\';y'; select 2", "select 'x\\';y'"),
                Arguments.of("select 1 /* a; b */; select 2", "select 1 /* a; b */"),
                Arguments.of("select 1 /*!50000 ; */; select 2", "select 1 /*!50000 ; */"),
                Arguments.of("select 1 -- a; b\n; select 2", "select 1 -- a; b"),
                Arguments.of("select 1 # a; b\n; select 2", "select 1 # a; b"),
                Arguments.of("select 1--2; select 2", "select 1--2"));
    }

    @ParameterizedTest
    @MethodSource("quoted")
    void semicolonsInsideQuotesAndCommentsDoNotSplit(String sql, String first) {
        List<String> parts = StatementSplitter.split(sql);
        assertEquals(2, parts.size(), parts.toString());
        assertEquals(first, parts.get(0));
        assertEquals("select 2", parts.get(1));
    }

    @Test
    void storedProgramBodiesStayWhole() {
        String proc = "create definer=`root`@`%` procedure p(x int) begin declare y int; if x > 0 then set y = 1; "
                + "end if; case x when 1 then select 1; else select 2; end case; while x > 0 do set x = x - 1; "
                + "end while; select case when x then 1 else 2 end; end";
        assertEquals(List.of(proc, "select 3"), StatementSplitter.split(proc + "; select 3"));
        String trigger = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END";
        assertEquals(List.of(trigger), StatementSplitter.split(trigger + ";"));
        assertEquals(List.of("create function f() returns int return 1", "select f()"),
                StatementSplitter.split("create function f() returns int return 1; select f()"));
        assertEquals(List.of("begin", "insert into t values (1)", "commit"),
                StatementSplitter.split("begin; insert into t values (1); commit"));
    }

    @Test
    void unclosedQuoteEndsTheLastStatement() {
        assertEquals(List.of("select 1", "select 'x; y"), StatementSplitter.split("select 1; select 'x; y"));
    }

    @Test
    void isMulti() {
        assertTrue(StatementSplitter.isMulti("select 1; select 2"));
        assertFalse(StatementSplitter.isMulti("select 1;"));
        assertFalse(StatementSplitter.isMulti("select ';'"));
    }
}
