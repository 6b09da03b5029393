package io.tessel.topo.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving integration tests an etcd: one private {@link EtcdProcess} per JVM (test fork),
 * started lazily by the first test class that needs it and stopped, with its data deleted, by a JVM shutdown
 * hook, so classes share its ~0.6 s start. With {@code -Dtessel.it.etcd.endpoints=http://host:port} it uses
 * that server instead and starts nothing. Tests isolate themselves by root prefix ({@link #newRoot});
 * thread-safe.
 *
 * <pre>{@code
 * @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();
 * EtcdTopoConn conn = new EtcdTopoConn(etcd.config(etcd.newRoot("mytest")));
 * }</pre>
 */
public final class EtcdExtension implements BeforeAllCallback {
    /** System property naming an already-running etcd (comma-separated client URLs) to use instead. */
    public static final String ENDPOINTS_PROPERTY = "tessel.it.etcd.endpoints";
    /** Every root from {@link #newRoot} lies below this, so a shared etcd's test data is easy to find. */
    public static final String ROOT_PREFIX = "/tessel-test/";

    private static final ReentrantLock lock = new ReentrantLock();
    private static String endpoints;
    private static EtcdProcess process;
    private static Client admin;

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoints();
    }

    /** The etcd client URLs, comma-separated, starting the private server on first use. */
    public String endpoints() {
        lock.lock();
        try {
            if (endpoints == null) {
                String external = System.getProperty(ENDPOINTS_PROPERTY, "");
                if (external.isBlank()) {
                    EtcdProcess started = EtcdProcess.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "etcd-test-server-stop"));
                    process = started;
                    endpoints = started.endpoint();
                } else {
                    endpoints = external;
                }
            }
            return endpoints;
        } finally {
            lock.unlock();
        }
    }

    /** True when the tests run against {@code -Dtessel.it.etcd.endpoints} rather than a private server. */
    public boolean isExternal() {
        endpoints();
        return process == null;
    }

    /** A root prefix no other test uses, e.g. {@code /tessel-test/contract-1f0c…}. */
    public String newRoot(String name) {
        return ROOT_PREFIX + name + "-" + UUID.randomUUID();
    }

    /** A config for the shared server at {@code root}, with the default lease TTL and call timeout. */
    public EtcdConfig config(String root) {
        return EtcdConfig.of(endpoints(), root);
    }

    /** Deletes every key below {@code root}, so a shared etcd does not collect test data. */
    public void deleteRoot(String root) {
        ByteSequence prefix = ByteSequence.from(root + "/", UTF_8);
        try {
            adminClient().getKVClient().delete(prefix, DeleteOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted deleting test root " + root, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("deleting test root " + root + " failed", e);
        }
    }

    /** A jetcd client on the shared server, for tests that act as a foreign (or crashed) etcd user. */
    public Client adminClient() {
        String urls = endpoints();
        lock.lock();
        try {
            if (admin == null) {
                admin = Client.builder().endpoints(EtcdConfig.parseEndpoints(urls)).build();
            }
            return admin;
        } finally {
            lock.unlock();
        }
    }
}
