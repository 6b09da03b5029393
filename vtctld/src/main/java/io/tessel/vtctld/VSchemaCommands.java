package io.tessel.vtctld;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vtctldata.ApplyVSchemaRequest;
import io.tessel.proto.Vtctldata.ApplyVSchemaResponse;
import io.tessel.proto.Vtctldata.GetSrvKeyspacesRequest;
import io.tessel.proto.Vtctldata.GetSrvVSchemaRequest;
import io.tessel.proto.Vtctldata.GetSrvVSchemaResponse;
import io.tessel.proto.Vtctldata.GetVSchemaRequest;
import io.tessel.proto.Vtctldata.GetVSchemaResponse;
import io.tessel.proto.Vtctldata.RebuildKeyspaceGraphRequest;
import io.tessel.proto.Vtctldata.RebuildVSchemaGraphRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The vtctl commands for VSchemas and the serving graph (SrvKeyspace, SrvVSchema). */
final class VSchemaCommands {
    private VSchemaCommands() {}

    /**
     * Parses a keyspace VSchema from JSON; snake_case and camelCase field names are both accepted, unknown
     * fields are refused so a typo is not silently dropped.
     *
     * @throws VtException INVALID_ARGUMENT if the JSON does not parse as a vschema.Keyspace
     */
    static Vschema.Keyspace parseVSchema(String json) {
        Vschema.Keyspace.Builder vschema = Vschema.Keyspace.newBuilder();
        try {
            JsonFormat.parser().merge(json, vschema);
        } catch (InvalidProtocolBufferException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid vschema JSON: " + e.getMessage(), e);
        }
        return vschema.build();
    }

    /** Exactly one source of the VSchema JSON. */
    static final class VSchemaSource {
        @Option(names = "--vschema", paramLabel = "<json>", description = "The VSchema as a JSON string.")
        String json;
        @Option(names = "--vschema-file", paramLabel = "<path>", description = "A file holding the VSchema JSON.")
        Path file;

        String read() {
            if (json != null) {
                return json;
            }
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw VtException.of(ErrorCode.INVALID_ARGUMENT, "cannot read vschema file " + file + ": " + e, e);
            }
        }
    }

    @Command(name = "ApplyVSchema", description = "Validates and stores a keyspace's VSchema, then rebuilds "
            + "SrvVSchema; prints the VSchema applied.")
    static final class ApplyVSchema extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace>")
        String keyspace;
        @ArgGroup(exclusive = true, multiplicity = "1")
        VSchemaSource source;
        @Option(names = "--dry-run", description = "Validate and print, but do not store.")
        boolean isDryRun;
        @Option(names = "--skip-rebuild", description = "Do not rebuild SrvVSchema.")
        boolean isRebuildSkipped;
        @Option(names = "--cells", split = ",", description = "Rebuild SrvVSchema only in these cells.")
        List<String> cells = List.of();
        @Option(names = "--strict", description = "Refuse unknown vindex params (not supported).")
        boolean isStrict;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            ApplyVSchemaRequest request = ApplyVSchemaRequest.newBuilder().setKeyspace(keyspace)
                    .setVSchema(parseVSchema(source.read())).setDryRun(isDryRun).setSkipRebuild(isRebuildSkipped)
                    .addAllCells(cells).setStrict(isStrict).build();
            return call(stub -> stub.applyVSchema(request), ApplyVSchemaResponse::getVSchema);
        }
    }

    @Command(name = "GetVSchema", description = "Prints a keyspace's VSchema.")
    static final class GetVSchema extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace>")
        String keyspace;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            GetVSchemaRequest request = GetVSchemaRequest.newBuilder().setKeyspace(keyspace).build();
            return call(stub -> stub.getVSchema(request), GetVSchemaResponse::getVSchema);
        }
    }

    @Command(name = "RebuildKeyspaceGraph", description = "Rebuilds a keyspace's SrvKeyspace in the cells.")
    static final class RebuildKeyspaceGraph extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<keyspace>")
        String keyspace;
        @Option(names = {"-c", "--cells"}, split = ",", description = "Only these cells (default: all).")
        List<String> cells = List.of();
        @Option(names = "--allow-partial", description = "Allow a graph with gaps (not supported).")
        boolean isPartialAllowed;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            RebuildKeyspaceGraphRequest request = RebuildKeyspaceGraphRequest.newBuilder().setKeyspace(keyspace)
                    .addAllCells(cells).setAllowPartial(isPartialAllowed).build();
            return call(stub -> stub.rebuildKeyspaceGraph(request), r -> r);
        }
    }

    @Command(name = "RebuildVSchemaGraph", description = "Rebuilds SrvVSchema from every keyspace's VSchema.")
    static final class RebuildVSchemaGraph extends Vtctl.VtctlCommand {
        @Option(names = {"-c", "--cells"}, split = ",", description = "Only these cells (default: all).")
        List<String> cells = List.of();

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            RebuildVSchemaGraphRequest request = RebuildVSchemaGraphRequest.newBuilder().addAllCells(cells).build();
            return call(stub -> stub.rebuildVSchemaGraph(request), r -> r);
        }
    }

    @Command(name = "GetSrvKeyspaces", description = "Prints a keyspace's SrvKeyspace by cell (default: all cells).")
    static final class GetSrvKeyspaces extends Vtctl.VtctlCommand {
        @Parameters(index = "0", paramLabel = "<keyspace>")
        String keyspace;
        @Parameters(index = "1..*", paramLabel = "<cell>")
        List<String> cells = List.of();

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            GetSrvKeyspacesRequest request = GetSrvKeyspacesRequest.newBuilder().setKeyspace(keyspace)
                    .addAllCells(cells).build();
            return call(stub -> stub.getSrvKeyspaces(request), r -> r);
        }
    }

    @Command(name = "GetSrvVSchema", description = "Prints a cell's SrvVSchema.")
    static final class GetSrvVSchema extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<cell>")
        String cell;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            GetSrvVSchemaRequest request = GetSrvVSchemaRequest.newBuilder().setCell(cell).build();
            return call(stub -> stub.getSrvVSchema(request), GetSrvVSchemaResponse::getSrvVSchema);
        }
    }
}
