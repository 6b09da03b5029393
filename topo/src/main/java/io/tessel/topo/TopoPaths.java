package io.tessel.topo;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletAlias;

/**
 * The file layout of Vitess's topology, relative to a global or cell root. Every path {@link Topo} reads or
 * writes is built here, so the layout is stated once. Stateless.
 */
final class TopoPaths {
    static final String CELLS = "cells";
    static final String KEYSPACES = "keyspaces";
    static final String TABLETS = "tablets";
    static final String SRV_VSCHEMA = "SrvVSchema";

    private TopoPaths() {}

    /** Global: {@code cells/<cell>/CellInfo}. */
    static String cellInfo(String cell) {
        return CELLS + "/" + checkName("cell", cell) + "/CellInfo";
    }

    /** Global lock directory of a keyspace, and the parent of its files: {@code keyspaces/<ks>}. */
    static String keyspaceDir(String keyspace) {
        return KEYSPACES + "/" + checkName("keyspace", keyspace);
    }

    /** Global: {@code keyspaces/<ks>/Keyspace}. */
    static String keyspace(String keyspace) {
        return keyspaceDir(keyspace) + "/Keyspace";
    }

    /** Global: {@code keyspaces/<ks>/VSchema}. */
    static String vschema(String keyspace) {
        return keyspaceDir(keyspace) + "/VSchema";
    }

    /** Global: {@code keyspaces/<ks>/shards}. */
    static String shardsDir(String keyspace) {
        return keyspaceDir(keyspace) + "/shards";
    }

    /** Global lock directory of a shard: {@code keyspaces/<ks>/shards/<shard>}. */
    static String shardDir(String keyspace, String shard) {
        return shardsDir(keyspace) + "/" + checkName("shard", shard);
    }

    /** Global: {@code keyspaces/<ks>/shards/<shard>/Shard}. */
    static String shard(String keyspace, String shard) {
        return shardDir(keyspace, shard) + "/Shard";
    }

    /** Cell: {@code tablets/<cell>-<uid %010d>/Tablet}. */
    /** A tablet's liveness record beside its Tablet record (Tessel's addition to Vitess's layout). */
    static String tabletHealth(TabletAlias alias) {
        return tablet(alias).substring(0, tablet(alias).lastIndexOf('/')) + "/Health";
    }

    static String tablet(TabletAlias alias) {
        checkName("cell", alias.getCell());
        return TABLETS + "/" + TabletAliases.format(alias) + "/Tablet";
    }

    /** Cell: {@code keyspaces/<ks>/SrvKeyspace}. */
    static String srvKeyspace(String keyspace) {
        return keyspaceDir(keyspace) + "/SrvKeyspace";
    }

    /**
     * Returns {@code name} if it can be one path segment: non-empty, no '/', not {@code .} or {@code ..}.
     *
     * @throws VtException INVALID_ARGUMENT otherwise
     */
    static String checkName(String kind, String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid " + kind + " name: '" + name + "'");
        }
        return name;
    }
}
