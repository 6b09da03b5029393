package io.tessel.vtctld;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vtctldata.CreateKeyspaceRequest;
import io.tessel.proto.Vtctldata.CreateShardRequest;
import io.tessel.proto.Vtctldata.DeleteKeyspaceRequest;
import io.tessel.proto.Vtctldata.DeleteShardsRequest;
import io.tessel.proto.Vtctldata.FindAllShardsInKeyspaceRequest;
import io.tessel.proto.Vtctldata.GetKeyspaceRequest;
import io.tessel.proto.Vtctldata.GetKeyspaceResponse;
import io.tessel.proto.Vtctldata.GetKeyspacesRequest;
import io.tessel.proto.Vtctldata.GetShardRequest;
import io.tessel.proto.Vtctldata.GetShardResponse;
import io.tessel.proto.Vtctldata.Shard;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The vtctl commands for keyspaces and shards; shards are named {@code <keyspace>/<shard>} as in vtctldclient. */
final class KeyspaceCommands {
    private KeyspaceCommands() {}

    /** Splits {@code keyspace/shard}; INVALID_ARGUMENT unless both parts are there. */
    static Shard parseShard(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid shard '" + text + "', expecting <keyspace>/<shard>");
        }
        return Shard.newBuilder().setKeyspace(text.substring(0, slash)).setName(text.substring(slash + 1)).build();
    }

    @Command(name = "CreateKeyspace", description = "Creates a keyspace (with an empty VSchema unless told not to).")
    static final class CreateKeyspace extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace>")
        String keyspace;
        @Option(names = {"-f", "--force"}, description = "Succeed even if the keyspace already exists.")
        boolean isForce;
        @Option(names = {"-e", "--allow-empty-vschema"}, description = "Do not create an empty VSchema.")
        boolean isEmptyVSchemaAllowed;
        @Option(names = "--durability-policy", defaultValue = "none", description = "Recorded durability policy.")
        String durabilityPolicy;
        @Option(names = "--sidecar-db-name", defaultValue = "", description = "Recorded sidecar database name.")
        String sidecarDbName;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            CreateKeyspaceRequest request = CreateKeyspaceRequest.newBuilder().setName(keyspace).setForce(isForce)
                    .setAllowEmptyVSchema(isEmptyVSchemaAllowed).setDurabilityPolicy(durabilityPolicy)
                    .setSidecarDbName(sidecarDbName).build();
            return call(stub -> stub.createKeyspace(request), r -> r);
        }
    }

    @Command(name = "GetKeyspace", description = "Prints a keyspace record.")
    static final class GetKeyspace extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace>")
        String keyspace;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            GetKeyspaceRequest request = GetKeyspaceRequest.newBuilder().setKeyspace(keyspace).build();
            return call(stub -> stub.getKeyspace(request), GetKeyspaceResponse::getKeyspace);
        }
    }

    @Command(name = "GetKeyspaces", description = "Prints all keyspace records.")
    static final class GetKeyspaces extends Vtctl.VtctlCommand {
        @Override
        public Integer call() throws InvalidProtocolBufferException {
            return call(stub -> stub.getKeyspaces(GetKeyspacesRequest.getDefaultInstance()), r -> r);
        }
    }

    @Command(name = "DeleteKeyspace", description = "Deletes a keyspace; one with shards only with --recursive.")
    static final class DeleteKeyspace extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace>")
        String keyspace;
        @Option(names = {"-r", "--recursive"}, description = "Also delete its shards and their tablets.")
        boolean isRecursive;
        @Option(names = {"-f", "--force"}, description = "Delete without the keyspace lock (not supported).")
        boolean isForce;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            DeleteKeyspaceRequest request = DeleteKeyspaceRequest.newBuilder().setKeyspace(keyspace)
                    .setRecursive(isRecursive).setForce(isForce).build();
            return call(stub -> stub.deleteKeyspace(request), r -> r);
        }
    }

    @Command(name = "CreateShard", description = "Creates a shard; its key range comes from its name (-80, 80-, 0).")
    static final class CreateShard extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace/shard>")
        String shard;
        @Option(names = {"-f", "--force"}, description = "Succeed even if the shard already exists.")
        boolean isForce;
        @Option(names = {"-p", "--include-parent"}, description = "Create the keyspace too if it does not exist.")
        boolean isParentIncluded;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            Shard target = parseShard(shard);
            CreateShardRequest request = CreateShardRequest.newBuilder().setKeyspace(target.getKeyspace())
                    .setShardName(target.getName()).setForce(isForce).setIncludeParent(isParentIncluded).build();
            return call(stub -> stub.createShard(request), r -> r);
        }
    }

    @Command(name = "GetShard", description = "Prints a shard record.")
    static final class GetShard extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace/shard>")
        String shard;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            Shard target = parseShard(shard);
            GetShardRequest request = GetShardRequest.newBuilder().setKeyspace(target.getKeyspace())
                    .setShardName(target.getName()).build();
            return call(stub -> stub.getShard(request), GetShardResponse::getShard);
        }
    }

    @Command(name = "FindAllShardsInKeyspace", description = "Prints all shard records of a keyspace, by name.")
    static final class FindAllShardsInKeyspace extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace>")
        String keyspace;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            FindAllShardsInKeyspaceRequest request = FindAllShardsInKeyspaceRequest.newBuilder()
                    .setKeyspace(keyspace).build();
            return call(stub -> stub.findAllShardsInKeyspace(request), r -> r);
        }
    }

    @Command(name = "DeleteShards", description = "Deletes shards; serving ones or ones with tablets only when told.")
    static final class DeleteShards extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace/shard>", arity = "1..*")
        List<String> shards;
        @Option(names = {"-r", "--recursive"}, description = "Also delete the shards' tablets.")
        boolean isRecursive;
        @Option(names = "--even-if-serving", description = "Delete shards that are in a serving graph.")
        boolean isEvenIfServing;
        @Option(names = {"-f", "--force"}, description = "Delete without the shard lock (not supported).")
        boolean isForce;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            DeleteShardsRequest request = DeleteShardsRequest.newBuilder()
                    .addAllShards(shards.stream().map(KeyspaceCommands::parseShard).toList())
                    .setRecursive(isRecursive).setEvenIfServing(isEvenIfServing).setForce(isForce).build();
            return call(stub -> stub.deleteShards(request), r -> r);
        }
    }
}
