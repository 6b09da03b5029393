package io.tessel.vtgate.vindex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UnicodeLooseTableTest {
    private static final Path TABLES_GO = Path.of("/usr/share/gocode/src/golang.org/x/text/collate/tables.go");
    private static final Path UCD = Path.of("/usr/share/unicode");

    @Test
    void resourceHoldsXTextData() {
        UnicodeLooseTable table = UnicodeLooseTable.get();
        assertEquals(0x402E2220, table.contractElem[0], "first mainContractElem value of tables.go");
        assertEquals(0x00000002, table.expandElem[0], "first mainExpandElem value of tables.go");
        assertEquals(0x40020020, table.element('\t'), "TAB's element in mainValues");
        assertEquals(230, table.leadCcc(0x0301));
        assertEquals(0, table.leadCcc(0x00E9));
        assertEquals(230, table.trailCcc(0x00E9));
        assertEquals(1, table.leadingNonStarters(0xFF9E), "halfwidth voiced mark: NFKD U+3099");
        assertEquals("IJ", new String(table.nfkd(0x0132), java.nio.charset.StandardCharsets.UTF_8), "a \"decompose\" element");
        assertTrue(table.isIdeographic(0x4E00) && table.isIdeographic(0x323AF) && !table.isIdeographic(0x3400 - 1));
    }

    /** Where the generator's inputs are installed (Debian packages), it reproduces the committed resource. */
    @Test
    void generatorReproducesTheResource() throws IOException {
        assumeTrue(Files.exists(TABLES_GO) && Files.exists(UCD.resolve("UnicodeData.txt")),
                "needs golang-golang-x-text-dev and unicode-data installed");
        byte[] committed;
        try (InputStream in = UnicodeLooseTable.class.getResourceAsStream(UnicodeLooseTable.RESOURCE)) {
            committed = in.readAllBytes();
        }
        assertArrayEquals(committed, UnicodeLooseTableGenerator.generate(TABLES_GO, UCD));
    }
}
