package io.tessel.vtgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vitess's replica choice by lag, with the reference's examples. */
class TabletPickerTest {
    private static List<TabletHealth> replicas(int... lagsSeconds) {
        List<TabletHealth> out = new ArrayList<>();
        for (int i = 0; i < lagsSeconds.length; i++) {
            Tablet t = Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("z").setUid(i)).build();
            out.add(new TabletHealth(t, null, true, lagsSeconds[i], ""));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5,10,15,120 | 3",
        "1800,2100,2400,2700 | 2",
        "7200,10800,14400,18000 | 1",
        "30,31,32 | 2"})
    void keepsLowLagOrTheFirstTwo(String lags, int kept) {
        int[] l = java.util.Arrays.stream(lags.split(",")).mapToInt(Integer::parseInt).toArray();
        assertEquals(kept, TabletPicker.candidates(replicas(l), TabletType.REPLICA).size());
    }
}
