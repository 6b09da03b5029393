package io.tessel.topo;

import java.time.Duration;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The raw topology contract, after Vitess's {@code topo/conn.go}: a store of small versioned files under
 * '/'-separated paths relative to this connection's root, with directory listing, directory locks and
 * single-file watches. Implementations are thread-safe and all pass {@code TopoConnContract}; typed access
 * lives once, above this, in {@link Topo}.
 *
 * <p><b>Paths.</b> A path such as {@code keyspaces/ks/Keyspace}; a leading or trailing '/' is ignored, and
 * {@code ""} or {@code "/"} names the root directory. Empty, {@code "."} and {@code ".."} segments are
 * rejected with {@link IllegalArgumentException}. Directories are implicit: one exists exactly while some
 * file exists below it, so creating {@code a/b/c} creates {@code a} and {@code a/b}, and deleting the last
 * file below a directory removes it.
 *
 * <p><b>Errors.</b> Every method throws {@link TopoException} only. Besides the codes listed per method,
 * any method may throw {@link TopoCode#UNREACHABLE} (backend unreachable, or this connection closed),
 * {@link TopoCode#TIMEOUT} (backend did not answer in time), {@link TopoCode#INTERRUPTED} (the calling
 * thread was interrupted; its interrupt flag is set again) and {@link TopoCode#RESOURCE_EXHAUSTED}.
 *
 * <p><b>Versions.</b> Every successful create or update gives the file a new {@link Version}, different from
 * all its earlier ones, even when the bytes are unchanged.
 */
public interface TopoConn extends AutoCloseable {
    /**
     * Lists the children of a directory, sorted by name. The name and type of each entry are always
     * correct; {@link DirEntry#isEphemeral()} is only filled in when {@code full} is true (it may need an
     * extra read per entry on some backends). A name that is both a file and a directory (possible on
     * etcd) is listed once, as a directory.
     *
     * @throws TopoException {@link TopoCode#NO_NODE} if the directory does not exist (no file below it),
     *     including when the path names a file
     */
    List<DirEntry> listDir(String dir, boolean full);

    /**
     * Creates a file with the given content; missing parent directories appear implicitly.
     *
     * @return the new file's version
     * @throws TopoException {@link TopoCode#NODE_EXISTS} if the file already exists
     */
    Version create(String path, byte[] data);

    /**
     * Replaces a file's content. With {@code expected == null} this is an unconditional upsert: the file is
     * created if missing. Otherwise the write happens only if the file's current version equals
     * {@code expected} (compare-and-set).
     *
     * @return the file's new version
     * @throws TopoException {@link TopoCode#NO_NODE} if {@code expected} is given and the file does not
     *     exist; {@link TopoCode#BAD_VERSION} if {@code expected} is not the current version
     */
    Version update(String path, byte[] data, @Nullable Version expected);

    /**
     * Reads a file's content and current version. The returned array is the caller's to keep.
     *
     * @throws TopoException {@link TopoCode#NO_NODE} if the file does not exist
     */
    Versioned<byte[]> get(String path);

    /**
     * Deletes a file, unconditionally when {@code expected == null}, else only if its current version is
     * {@code expected}. Directories are never deleted directly; they vanish with their last file.
     *
     * @throws TopoException {@link TopoCode#NO_NODE} if the file does not exist;
     *     {@link TopoCode#NODE_NOT_EMPTY} if the path is a directory that still has children;
     *     {@link TopoCode#BAD_VERSION} if {@code expected} is not the current version
     */
    void delete(String path, @Nullable Version expected);

    /**
     * Takes the advisory lock on a directory, waiting up to {@code timeout} while another holder (on this
     * or any other connection to the same store) has it. Locks are not reentrant: locking a directory the
     * caller already holds waits for itself and times out. Closing the connection releases its locks.
     *
     * @param holder a description of the holder, for diagnostics (Vitess stores it in the lock node)
     * @return the held lock; close it to release
     * @throws TopoException {@link TopoCode#NO_NODE} if the directory does not exist;
     *     {@link TopoCode#TIMEOUT} if the lock was not acquired in time; {@link TopoCode#INTERRUPTED} if the
     *     waiting thread was interrupted
     */
    LockHandle lock(String dir, String holder, Duration timeout);

    /**
     * Creates or replaces a file that exists only while the returned handle is held: closing the handle
     * deletes it, and when the holder dies or loses its connection the backend deletes it within
     * {@code ttl} (etcd: the file is bound to a lease kept alive by this connection). Readers see it as an
     * ordinary file.
     *
     * @throws TopoException {@link TopoCode#UNREACHABLE} or another backend failure
     */
    EphemeralFile putEphemeral(String path, byte[] data, Duration ttl);

    /**
     * Watches one file. The listener first receives the file's current value, then its changes, on a
     * backend thread, in order. Delivery promises only eventual convergence: intermediate versions may be
     * skipped and a version may be delivered twice, but after the last change the listener eventually
     * sees the last value. Deleting the file ends the watch with {@link WatchEvent.Deleted}; a backend
     * failure (or {@link #close()} of this connection) ends it with {@link WatchEvent.Error}. Closing the
     * returned {@link Watch} ends it silently.
     *
     * @throws TopoException {@link TopoCode#NO_NODE} if the file does not exist when the watch starts
     */
    Watch watch(String path, WatchListener<byte[]> listener);

    /**
     * Closes this connection: releases its locks, ends its watches with an {@link TopoCode#INTERRUPTED}
     * error event, and makes later calls throw {@link TopoCode#UNREACHABLE}. Closing twice is harmless.
     */
    @Override
    void close();
}
