package io.tessel.vtctld;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.Keyspace;
import io.tessel.proto.Topodata.TabletAlias;
import io.tessel.topo.TabletAliases;
import io.tessel.topo.Topo;
import io.tessel.topo.TopoCode;
import io.tessel.topo.TopoException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Request checks and topology look-ups shared by the admin RPCs: required names, known cells, and records
 * that must exist, each failing with a client-facing {@link VtException} (INVALID_ARGUMENT or NOT_FOUND)
 * whose message names the thing instead of a topology path. Stateless.
 */
final class AdminChecks {
    private AdminChecks() {}

    /** Returns {@code value} if it is non-empty; INVALID_ARGUMENT naming the field otherwise. */
    static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw invalid(field + " is required");
        }
        return value;
    }

    static VtException invalid(String message) {
        return VtException.of(ErrorCode.INVALID_ARGUMENT, message);
    }

    static VtException notFound(String message) {
        return VtException.of(ErrorCode.NOT_FOUND, message);
    }

    /**
     * Runs a topology read; a missing record (NO_NODE) becomes NOT_FOUND with {@code what + " not found"},
     * other topology failures keep their own class.
     */
    static <T> T find(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (TopoException e) {
            if (e.is(TopoCode.NO_NODE)) {
                throw VtException.of(ErrorCode.NOT_FOUND, what + " not found", e);
            }
            throw e;
        }
    }

    /** The keyspace record; INVALID_ARGUMENT without a name, NOT_FOUND if there is none. */
    static Keyspace keyspace(Topo topo, String keyspace) {
        require("keyspace", keyspace);
        return find("keyspace '" + keyspace + "'", () -> topo.getKeyspace(keyspace).value());
    }

    /** A tablet alias with a cell; INVALID_ARGUMENT otherwise. */
    static TabletAlias alias(TabletAlias alias, boolean isSet) {
        if (!isSet || alias.getCell().isEmpty()) {
            throw invalid("tablet_alias with a cell is required");
        }
        return alias;
    }

    static String describe(TabletAlias alias) {
        return "tablet " + TabletAliases.format(alias);
    }

    /**
     * The cells a request names, checked against the topology's cells; all cells when none are named.
     *
     * @throws VtException NOT_FOUND naming the first unknown cell
     */
    static List<String> cells(Topo topo, List<String> requested) {
        List<String> known = topo.getCellNames();
        if (requested.isEmpty()) {
            return known;
        }
        for (String cell : requested) {
            if (!known.contains(cell)) {
                throw notFound("cell '" + cell + "' not found; known cells: " + known);
            }
        }
        return List.copyOf(requested);
    }
}
