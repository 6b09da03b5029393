package io.tessel.vtctld;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.Tablet;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Vtctldata.ChangeTabletTypeRequest;
import io.tessel.proto.Vtctldata.ChangeTabletTypeResponse;
import io.tessel.proto.Vtctldata.GetTabletResponse;
import io.tessel.proto.Vtctldata.GetTabletsRequest;
import io.tessel.proto.Vtctldata.GetTabletsResponse;
import io.tessel.topo.TabletAliases;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet RPCs over {@link Topo}: read tablet records with filters, and change a tablet's type among the
 * types a running tablet can take without a reparent (REPLICA, RDONLY, SPARE). ChangeTabletType writes the
 * topology record only: Tessel has no tablet-manager RPC yet to tell a running vttablet. Thread-safe.
 */
final class TabletAdmin {
    /** The types ChangeTabletType moves between, Vitess's "trivial" type changes. */
    static final Set<TabletType> CHANGEABLE_TYPES = Set.of(TabletType.REPLICA, TabletType.RDONLY, TabletType.SPARE);

    private static final Logger log = LoggerFactory.getLogger(TabletAdmin.class);
    private static final Comparator<Tablet> BY_ALIAS = Comparator.<Tablet, String>comparing(t -> t.getAlias().getCell())
            .thenComparingLong(t -> Integer.toUnsignedLong(t.getAlias().getUid()));

    private final Topo topo;

    TabletAdmin(Topo topo) {
        this.topo = topo;
    }

    GetTabletResponse get(TabletAlias alias, boolean isSet) {
        return GetTabletResponse.newBuilder().setTablet(find(AdminChecks.alias(alias, isSet))).build();
    }

    /**
     * Tablets from the named aliases, or else from the named cells (all cells when none), filtered by
     * keyspace, shard and tablet type when those are set, sorted by alias. Without {@code strict}, a missing
     * alias or an unreadable cell is skipped (and logged); with it, either fails the call.
     */
    GetTabletsResponse list(GetTabletsRequest request) {
        if (!request.getShard().isEmpty() && request.getKeyspace().isEmpty()) {
            throw AdminChecks.invalid("keyspace is required when shard is set");
        }
        if (!request.getKeyspace().isEmpty()) {
            AdminChecks.keyspace(topo, request.getKeyspace());
        }
        if (!request.getShard().isEmpty()) {
            AdminChecks.find("shard " + request.getKeyspace() + "/" + request.getShard(),
                    () -> topo.getShard(request.getKeyspace(), request.getShard()));
        }
        List<String> cells = AdminChecks.cells(topo, request.getCellsList());
        List<Tablet> source = request.getTabletAliasesCount() > 0
                ? byAlias(request.getTabletAliasesList(), request.getStrict())
                : byCell(cells, request.getStrict());
        List<Tablet> tablets = source.stream().filter(filter(request, cells)).sorted(BY_ALIAS).toList();
        return GetTabletsResponse.newBuilder().addAllTablets(tablets).build();
    }

    /** Changes a tablet's type in its topology record; {@code dry_run} only reports the change. */
    ChangeTabletTypeResponse changeType(ChangeTabletTypeRequest request) {
        TabletAlias alias = AdminChecks.alias(request.getTabletAlias(), request.hasTabletAlias());
        TabletType target = request.getDbType();
        if (!CHANGEABLE_TYPES.contains(target)) {
            throw AdminChecks.invalid("ChangeTabletType can only change to REPLICA, RDONLY or SPARE, not " + target
                    + (target == TabletType.PRIMARY ? "; a new primary comes from a reparent" : ""));
        }
        Tablet before = find(alias);
        if (!CHANGEABLE_TYPES.contains(before.getType())) {
            throw VtException.of(ErrorCode.FAILED_PRECONDITION, AdminChecks.describe(alias) + " is "
                    + before.getType() + "; ChangeTabletType only changes REPLICA, RDONLY and SPARE tablets");
        }
        Tablet after = before.toBuilder().setType(target).build();
        if (!request.getDryRun() && before.getType() != target) {
            after = AdminChecks.find(AdminChecks.describe(alias), () -> topo.updateTabletFields(alias, t -> {
                if (!CHANGEABLE_TYPES.contains(t.getType())) {
                    throw VtException.of(ErrorCode.FAILED_PRECONDITION, AdminChecks.describe(alias)
                            + " became " + t.getType() + " meanwhile; not changing it");
                }
                return t.toBuilder().setType(target).build();
            }).value());
            log.info("vtctld: changed {} type {} -> {}", TabletAliases.format(alias), before.getType(), target);
        }
        return ChangeTabletTypeResponse.newBuilder().setBeforeTablet(before).setAfterTablet(after)
                .setWasDryRun(request.getDryRun()).build();
    }

    private Tablet find(TabletAlias alias) {
        return AdminChecks.find(AdminChecks.describe(alias), () -> topo.getTablet(alias).value());
    }

    private List<Tablet> byAlias(List<TabletAlias> aliases, boolean isStrict) {
        List<Tablet> tablets = new ArrayList<>();
        for (TabletAlias alias : aliases) {
            try {
                tablets.add(find(AdminChecks.alias(alias, true)));
            } catch (VtException e) {
                if (isStrict || e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                log.debug("vtctld: GetTablets skips {}: {}", TabletAliases.format(alias), e.getMessage());
            }
        }
        return tablets;
    }

    private List<Tablet> byCell(List<String> cells, boolean isStrict) {
        List<Tablet> tablets = new ArrayList<>();
        for (String cell : cells) {
            try {
                tablets.addAll(topo.getTabletsByCell(cell));
            } catch (TopoException e) {
                if (isStrict) {
                    throw e;
                }
                log.warn("vtctld: GetTablets skips cell {}: {}", cell, e.getMessage());
            }
        }
        return tablets;
    }

    private static Predicate<Tablet> filter(GetTabletsRequest request, List<String> cells) {
        return tablet -> (request.getKeyspace().isEmpty() || tablet.getKeyspace().equals(request.getKeyspace()))
                && (request.getShard().isEmpty() || tablet.getShard().equals(request.getShard()))
                && (request.getTabletType() == TabletType.UNKNOWN || tablet.getType() == request.getTabletType())
                && (request.getCellsCount() == 0 || cells.contains(tablet.getAlias().getCell()));
    }
}
