package io.tessel.topo;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletAlias;

/**
 * Tablet alias text form, as Vitess's {@code topoproto}: {@code <cell>-<uid as %010d>}, for example
 * {@code zone1-0000000100}. Stateless and thread-safe.
 */
public final class TabletAliases {
    private TabletAliases() {}

    /** The alias as {@code cell-%010d}; the uid is printed unsigned. */
    public static String format(TabletAlias alias) {
        return alias.getCell() + "-" + String.format("%010d", Integer.toUnsignedLong(alias.getUid()));
    }

    /** Builds an alias from its parts. */
    public static TabletAlias of(String cell, int uid) {
        return TabletAlias.newBuilder().setCell(cell).setUid(uid).build();
    }

    /**
     * Parses {@code cell-uid}; the uid need not be zero-padded.
     *
     * @throws VtException INVALID_ARGUMENT if the text is not exactly a cell and an unsigned 32-bit uid
     */
    public static TabletAlias parse(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid tablet alias: '" + text + "', expecting cell-uid");
        }
        try {
            return of(parts[0], Integer.parseUnsignedInt(parts[1]));
        } catch (NumberFormatException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid tablet alias: '" + text + "': bad uid", e);
        }
    }
}
