package io.tessel.vtctld;

import io.tessel.common.flags.Durations;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.VtctldGrpc;
import io.tessel.proto.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The vtctl command-line client of {@link VtctldService}, with Vitess vtctldclient's command names: one RPC per
 * command, the result printed to stdout as protobuf JSON (proto field names), a failure printed to stderr as
 * its gRPC code and message with exit code 1. {@link #run} is the whole program, usable in-process.
 */
@Command(name = "vtctl", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Administers a Tessel cluster through vtctld's gRPC API; results are printed as JSON.",
        subcommands = {
            KeyspaceCommands.CreateKeyspace.class, KeyspaceCommands.GetKeyspace.class,
            KeyspaceCommands.GetKeyspaces.class, KeyspaceCommands.DeleteKeyspace.class,
            KeyspaceCommands.CreateShard.class, KeyspaceCommands.GetShard.class,
            KeyspaceCommands.FindAllShardsInKeyspace.class, KeyspaceCommands.DeleteShards.class,
            VSchemaCommands.ApplyVSchema.class, VSchemaCommands.GetVSchema.class,
            TabletCommands.GetTablet.class, TabletCommands.GetTablets.class, TabletCommands.ChangeTabletType.class,
            VSchemaCommands.RebuildKeyspaceGraph.class, VSchemaCommands.RebuildVSchemaGraph.class,
            VSchemaCommands.GetSrvKeyspaces.class, VSchemaCommands.GetSrvVSchema.class})
public final class Vtctl implements Callable<Integer> {
    static {
        // The CLI's logging setup (warnings to stderr); set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "vtctl-logback.xml");
        }
    }

    /** The exit code of every failure: an RPC error, a bad argument or a usage error. */
    public static final int EXIT_FAILURE = 1;

    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames();

    @Option(names = "--server", required = true, description = "vtctld's gRPC address, host:port.")
    String server;
    @Option(names = "--action-timeout", defaultValue = "1h", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "Deadline of the RPC, e.g. 30s, 5m, 1h.")
    String actionTimeout;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private static Duration parseDurationFlag(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw VtException.of(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs vtctl with these arguments, printing to the given streams.
     *
     * @return 0 on success, {@link #EXIT_FAILURE} on any failure
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cmd = new CommandLine(new Vtctl());
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cmd.setParameterExceptionHandler((e, args2) -> {
            e.getCommandLine().getErr().println("vtctl: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return EXIT_FAILURE;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("vtctl: " + commandLine.getCommandName() + " failed: " + describe(e));
            return EXIT_FAILURE;
        });
        return cmd.execute(args);
    }

    /** Without a command: print the usage and fail. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("vtctl: a command is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_FAILURE;
    }

    /**
     * Calls vtctld once and prints {@code output} of the response as JSON.
     *
     * @param rpc the call on a stub that carries the action deadline
     * @param output the part of the response to print, usually the response itself
     */
    <T> int call(CommandLine commandLine, Function<VtctldBlockingStub, T> rpc,
            Function<T, ? extends MessageOrBuilder> output) throws InvalidProtocolBufferException {
        Duration timeout = parseDurationFlag(actionTimeout);
        ManagedChannel channel = NettyChannelBuilder.forTarget(server).usePlaintext().build();
        try {
            T response = rpc.apply(VtctldGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS));
            commandLine.getOut().println(JSON.print(output.apply(response)));
            return 0;
        } finally {
            channel.shutdownNow();
        }
    }


    /** A failure as {@code CODE: message}, with the gRPC code of an RPC error. */
    static String describe(Exception e) {
        return switch (e) {
            case StatusRuntimeException sre -> sre.getStatus().getCode() + ": "
                    + (sre.getStatus().getDescription() == null ? "" : sre.getStatus().getDescription());
            case VtException vt -> vt.code() + ": " + vt.getMessage();
            case InvalidProtocolBufferException ipe -> ErrorCode.INVALID_ARGUMENT + ": " + ipe.getMessage();
            default -> ErrorCode.INTERNAL + ": " + e;
        };
    }

    /** The base of every command: access to the top-level options and the RPC helper. */
    abstract static class VtctlCommand implements Callable<Integer> {
        @ParentCommand
        Vtctl vtctl;
        @Spec
        CommandLine.Model.CommandSpec commandSpec;

        <T> int call(Function<VtctldBlockingStub, T> rpc, Function<T, ? extends MessageOrBuilder> output)
                throws InvalidProtocolBufferException {
            return vtctl.call(commandSpec.commandLine(), rpc, output);
        }
    }
}
