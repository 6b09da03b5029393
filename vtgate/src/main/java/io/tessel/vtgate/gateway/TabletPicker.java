package io.tessel.vtgate.gateway;

import io.tessel.proto.Topodata.TabletType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses among the serving tablets of a shard, as Vitess's discovery does: replicas with an error or
 * more than 2 h of lag are dropped, the rest sorted by lag, and those within 30 s of lag (or the first
 * two) are kept; one of them is picked at random. The primary is used as is. Stateless.
 */
final class TabletPicker {
    static final int HIGH_LAG_SECONDS = 2 * 60 * 60;
    static final int LOW_LAG_SECONDS = 30;
    static final int MIN_SERVING = 2;

    private TabletPicker() {}

    /** The candidates a query may go to, in preference order (Vitess's replicationlag.go filter). */
    static List<TabletHealth> candidates(List<TabletHealth> tablets, TabletType type) {
        List<TabletHealth> ok = new ArrayList<>();
        for (TabletHealth t : tablets) {
            if (t.isServing() && t.lastError().isEmpty()
                    && (type == TabletType.PRIMARY || t.replicationLagSeconds() <= HIGH_LAG_SECONDS)) {
                ok.add(t);
            }
        }
        if (type == TabletType.PRIMARY) {
            return ok;
        }
        ok.sort(Comparator.comparingInt(TabletHealth::replicationLagSeconds));
        List<TabletHealth> kept = new ArrayList<>();
        for (int i = 0; i < ok.size(); i++) {
            if (ok.get(i).replicationLagSeconds() <= LOW_LAG_SECONDS || i < MIN_SERVING) {
                kept.add(ok.get(i));
            }
        }
        return kept;
    }

    static TabletHealth pick(List<TabletHealth> candidates) {
        return candidates.size() == 1 ? candidates.get(0)
                : candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }
}
