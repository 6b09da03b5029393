package io.tessel.common.twopc;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The id of an atomic (TWOPC) distributed transaction, {@code keyspace:shard:millis:random}: the metadata
 * manager's keyspace and shard (where the decision record lives), the creation time in Unix milliseconds on
 * the clock of the vtgate that made it (how old a prepared branch is, for a resolver that finds it with
 * XA RECOVER) and 64 random bits. Each participant's XA branch has xid ({@code dtid}, {@code keyspace:shard}).
 *
 * @param keyspace      the metadata manager's keyspace
 * @param shard         the metadata manager's shard
 * @param createdMillis when vtgate made the id, Unix milliseconds
 * @param random        16 hex digits
 */
public record Dtid(String keyspace, String shard, long createdMillis, String random) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public Dtid {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(random, "random");
        if (keyspace.contains(":") || shard.contains(":")) {
            throw new IllegalArgumentException("a keyspace or shard in a dtid must not contain ':'");
        }
    }

    /** MySQL's limit on each part of an XA xid (gtrid and bqual), in bytes. */
    public static final int MAX_XID_PART_BYTES = 64;

    /**
     * A new dtid with the metadata manager at {@code keyspace}/{@code shard}, made now.
     *
     * @throws VtException INVALID_ARGUMENT when the names make the dtid longer than an XA xid part may be
     */
    public static Dtid generate(String keyspace, String shard) {
        Dtid dtid = new Dtid(keyspace, shard, System.currentTimeMillis(), HexFormat.of().toHexDigits(RANDOM.nextLong()));
        if (dtid.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_XID_PART_BYTES) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "transaction_mode TWOPC: keyspace '" + keyspace
                    + "' and shard '" + shard + "' are too long together for an XA transaction id (MySQL allows "
                    + MAX_XID_PART_BYTES + " bytes, the dtid adds 32 characters): use MULTI for this keyspace");
        }
        return dtid;
    }

    /** Parses {@code keyspace:shard:millis:random}; null when the text is not one. */
    public static Dtid parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":", -1);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Dtid(parts[0], parts[1], Long.parseLong(parts[2]), parts[3]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The branch qualifier of a participant: {@code keyspace:shard}. */
    public static String branch(String keyspace, String shard) {
        return keyspace + ":" + shard;
    }

    /** The XA xid of a participant's branch as SQL: {@code 'dtid','keyspace:shard'}, quotes escaped. */
    public static String xidSql(String dtid, String keyspace, String shard) {
        return quote(dtid) + "," + quote(branch(keyspace, shard));
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return keyspace + ":" + shard + ":" + createdMillis + ":" + random;
    }
}
