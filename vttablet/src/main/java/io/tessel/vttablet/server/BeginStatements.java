package io.tessel.vttablet.server;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Query.ExecuteOptions.TransactionIsolation;
import java.util.ArrayList;
import java.util.List;

/** The statements that begin a transaction with an isolation level, plainly or as an XA branch. */
final class BeginStatements {
    private BeginStatements() {
    }

    /** The statements that begin a plain transaction with the isolation level. */
    static List<String> plain(TransactionIsolation isolation) {
        return switch (isolation) {
            case DEFAULT, UNRECOGNIZED -> List.of("begin");
            case REPEATABLE_READ -> List.of("set transaction isolation level repeatable read", "begin");
            case READ_COMMITTED -> List.of("set transaction isolation level read committed", "begin");
            case READ_UNCOMMITTED -> List.of("set transaction isolation level read uncommitted", "begin");
            case SERIALIZABLE -> List.of("set transaction isolation level serializable", "begin");
            case CONSISTENT_SNAPSHOT_READ_ONLY -> List.of("set transaction isolation level repeatable read",
                    "start transaction with consistent snapshot, read only");
            case AUTOCOMMIT -> List.of(); // statements commit one by one on the reserved connection
        };
    }

    /** The statements that begin XA branch {@code xid} with the isolation level; BEGIN becomes XA START. */
    static List<String> xa(TransactionIsolation isolation, String xid) {
        List<String> plain = plain(isolation);
        if (plain.isEmpty() || !plain.getLast().equals("begin")) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, "VT12001: unsupported: transaction isolation " + isolation
                    + " in an atomic (TWOPC) transaction");
        }
        List<String> xa = new ArrayList<>(plain.subList(0, plain.size() - 1));
        xa.add("xa start " + xid);
        return xa;
    }
}
