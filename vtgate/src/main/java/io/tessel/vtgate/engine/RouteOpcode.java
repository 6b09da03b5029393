package io.tessel.vtgate.engine;

/** How a {@link Route} picks its shards, as Vitess's route opcodes. */
public enum RouteOpcode {
    /** The keyspace has one shard; the query goes there whole. */
    UNSHARDED("Unsharded"),
    /** Equality on a unique vindex: at most one shard. */
    EQUAL_UNIQUE("EqualUnique"),
    /** Equality on a non-unique vindex: the shards its keyspace ids live on. */
    EQUAL("Equal"),
    /** {@code col IN (...)} on a vindex: each shard gets only its own values in {@code ::__vals}. */
    IN("IN"),
    /** Every shard of the keyspace. */
    SCATTER("Scatter"),
    /** A reference table: any one shard holds the whole table. */
    REFERENCE("Reference"),
    /** No row can match (e.g. {@code id = NULL}): no shard is asked for rows. */
    NONE("None"),
    /** Shards named by the session's target ({@code USE `ks:-80`}). */
    BY_DESTINATION("ByDestination");

    private final String vitessName;

    RouteOpcode(String vitessName) {
        this.vitessName = vitessName;
    }

    /** The variant's name as Vitess prints it in plans. */
    public String vitessName() {
        return vitessName;
    }
}
