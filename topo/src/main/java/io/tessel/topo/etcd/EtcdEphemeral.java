package io.tessel.topo.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import io.tessel.topo.EphemeralFile;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ephemeral file in etcd: the key is bound to a lease of the given TTL that this process keeps alive.
 * Closing revokes the lease (deleting the key); if the process dies, the lease is not renewed and etcd
 * deletes the key when it expires. Thread-safe; closed once.
 */
final class EtcdEphemeral implements EphemeralFile {
    private static final Logger log = LoggerFactory.getLogger(EtcdEphemeral.class);

    private final EtcdTopoConn conn;
    private final ByteSequence key;
    private final long leaseId;
    private final PutOption withLease;
    private final CloseableClient keepAlive;
    private final AtomicBoolean isClosed = new AtomicBoolean();

    private EtcdEphemeral(EtcdTopoConn conn, ByteSequence key, long leaseId) {
        this.conn = conn;
        this.key = key;
        this.leaseId = leaseId;
        this.withLease = PutOption.builder().withLeaseId(leaseId).build();
        this.keepAlive = conn.start(() -> conn.client().getLeaseClient().keepAlive(leaseId, new Observer()),
                "keep-alive of lease " + leaseId);
    }

    static EtcdEphemeral put(EtcdTopoConn conn, ByteSequence key, byte[] data, Duration ttl) {
        long seconds = Math.max(1, ttl.toSeconds());
        long leaseId = conn.call(conn.client().getLeaseClient().grant(seconds), "ephemeral " + key + ": lease grant")
                .getID();
        EtcdEphemeral file = new EtcdEphemeral(conn, key, leaseId);
        try {
            file.update(data);
            return file;
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public void update(byte[] data) {
        conn.call(conn.client().getKVClient().put(key, ByteSequence.from(data), withLease), "update ephemeral " + key);
    }

    @Override
    public void close() {
        if (isClosed.compareAndSet(false, true)) {
            keepAlive.close();
            try {
                // Awaited, so the file is gone when close() returns (bounded by the call timeout).
                conn.call(conn.client().getLeaseClient().revoke(leaseId), "revoke lease of ephemeral " + key);
            } catch (RuntimeException e) {
                log.debug("{}: revoking lease {} of {} failed; it expires: {}", conn.name(), leaseId, key, e.toString());
            }
        }
    }

    private final class Observer implements StreamObserver<LeaseKeepAliveResponse> {
        @Override
        public void onNext(LeaseKeepAliveResponse response) {}

        @Override
        public void onError(Throwable t) {
            if (!isClosed.get()) {
                log.warn("{}: keep-alive of ephemeral {} failed ({}); it is deleted when its lease expires",
                        conn.name(), key, t.getMessage());
            }
        }

        @Override
        public void onCompleted() {}
    }
}
