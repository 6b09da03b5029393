package io.tessel.vtgate.evalengine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DoubleTextTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "-0.0|-0",
        "3|3",
        "-3.5|-3.5",
        "0.1|0.1",
        "0.30000000000000004|0.30000000000000004",
        "100000000000000|100000000000000",
        "999999999999999.9|999999999999999.9",
        "1e15|1e15",
        "1.2345e20|1.2345e20",
        "-1e300|-1e300",
        "0.000001|0.000001",
        "1e-15|0.000000000000001",
        "1.5e-16|1.5e-16",
        "123456789.125|123456789.125",
    })
    void formatsLikeMysql(double value, String expected) {
        assertEquals(expected, DoubleText.format(value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "12abc|12",
        "abc|0",
        "''|0",
        "'  -1.5e2xyz'|-150",
        "+.5|0.5",
        "1.e3|1000",
        "5e|5",
        "5e+|5",
        ".|0",
        "-|0",
        "0x10|0",
    })
    void parsesTheNumericPrefix(String text, double expected) {
        assertEquals(expected, DoubleText.parsePrefix(text));
    }
}
