package io.tessel.vtctld;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessel.proto.VtctldGrpc;
import io.tessel.proto.VtctldGrpc.VtctldBlockingStub;
import io.tessel.topo.Topo;
import io.tessel.topo.memory.InMemoryTopoConn;
import java.io.IOException;

/** A {@link VtctldService} over a fresh in-memory topology with cell zone1, called through in-process gRPC. */
final class InProcessVtctld implements AutoCloseable {
    final Topo topo = new InMemoryTopoConn().newTopo("zone1");
    final VtctldBlockingStub stub;
    private final Server server;
    private final ManagedChannel channel;

    InProcessVtctld() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new VtctldService(topo)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = VtctldGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        topo.close();
    }
}
