package io.tessel.vtgate.gateway;

import io.tessel.common.queryservice.QueryService;
import io.tessel.proto.Topodata.Tablet;

/**
 * What vtgate knows of one tablet: its topology record, how to call it, and its last health report.
 * Immutable; a new instance replaces the old one on every change.
 */
public record TabletHealth(Tablet tablet, QueryService queryService, boolean isServing, int replicationLagSeconds,
                           String lastError) {

    public String aliasString() {
        return tablet.getAlias().getCell() + "-" + tablet.getAlias().getUid();
    }
}
