package io.tessel.vtctld;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times every admin call as {@code vtctld_request_duration_seconds{method, code}}: the gRPC method (e.g.
 * {@code CreateKeyspace}) and its status code ({@code OK}, {@code NOT_FOUND}...), both bounded sets.
 * Thread-safe.
 */
final class CallMeters implements ServerInterceptor {
    private final MeterRegistry registry;

    CallMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        long start = System.nanoTime();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                Timer.builder("vtctld.request.duration").description("Admin API calls by method and status code")
                        .tag("method", method == null ? "unknown" : method).tag("code", status.getCode().name())
                        .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        }, headers);
    }
}
