package io.tessel.vtgate.vindex;

import java.util.List;

/**
 * A vindex over several columns, as Vitess's {@code MultiColumn}: each row holds one value per column, in
 * the order of the column vindex's {@code columns}. Results are positional: element i answers row i. The
 * planner does not route by these yet (statements on such tables scatter).
 */
public interface MultiColumnVindex extends Vindex {
    /** The destination of each row; a row the vindex cannot map gives {@link Destination#NONE}. */
    List<Destination> map(List<List<Value>> rows);

    /**
     * Whether each row maps to the keyspace id at the same position (a row that maps to no keyspace id
     * verifies false).
     *
     * @throws io.tessel.common.errors.VtException INVALID_ARGUMENT if the lists differ in length
     */
    List<Boolean> verify(List<List<Value>> rows, List<byte[]> ksids);

    /** Whether a prefix of the columns is enough to map (to a key range), as Vitess's {@code PartialVindex}. */
    boolean isPartial();
}
