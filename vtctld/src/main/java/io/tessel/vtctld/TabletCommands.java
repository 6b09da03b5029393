package io.tessel.vtctld;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Topodata.TabletType;
import io.tessel.proto.Vtctldata.ChangeTabletTypeRequest;
import io.tessel.proto.Vtctldata.GetTabletRequest;
import io.tessel.proto.Vtctldata.GetTabletResponse;
import io.tessel.proto.Vtctldata.GetTabletsRequest;
import io.tessel.topo.TabletAliases;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The vtctl commands for tablets; aliases are written {@code cell-uid}, e.g. {@code zone1-100}. */
final class TabletCommands {
    private TabletCommands() {}

    /** A tablet type by name, case-insensitive; INVALID_ARGUMENT for an unknown one. */
    static TabletType parseType(String text) {
        try {
            TabletType type = TabletType.valueOf(text.trim().toUpperCase(Locale.ROOT));
            if (type != TabletType.UNKNOWN && type != TabletType.UNRECOGNIZED) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw VtException.of(ErrorCode.INVALID_ARGUMENT, "invalid tablet type '" + text + "'");
    }

    @Command(name = "GetTablet", description = "Prints a tablet record.")
    static final class GetTablet extends Vtctl.VtctlCommand {
        @Parameters(paramLabel = "<alias>")
        String alias;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            GetTabletRequest request = GetTabletRequest.newBuilder().setTabletAlias(TabletAliases.parse(alias)).build();
            return call(stub -> stub.getTablet(request), GetTabletResponse::getTablet);
        }
    }

    @Command(name = "GetTablets", description = "Prints tablet records, filtered by the options given.")
    static final class GetTablets extends Vtctl.VtctlCommand {
        @Option(names = {"-k", "--keyspace"}, defaultValue = "", description = "Only this keyspace's tablets.")
        String keyspace;
        @Option(names = {"-s", "--shard"}, defaultValue = "", description = "Only this shard's (needs --keyspace).")
        String shard;
        @Option(names = {"-c", "--cell"}, split = ",", description = "Only tablets in these cells.")
        List<String> cells = List.of();
        @Option(names = {"-t", "--tablet-alias"}, split = ",", description = "Only these tablets.")
        List<String> aliases = List.of();
        @Option(names = "--tablet-type", description = "Only tablets of this type.")
        String tabletType;
        @Option(names = "--strict", description = "Fail on a missing alias or unreadable cell instead of skipping it.")
        boolean isStrict;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            GetTabletsRequest.Builder request = GetTabletsRequest.newBuilder().setKeyspace(keyspace).setShard(shard)
                    .addAllCells(cells).setStrict(isStrict)
                    .addAllTabletAliases(aliases.stream().map(TabletAliases::parse).toList());
            if (tabletType != null) {
                request.setTabletType(parseType(tabletType));
            }
            return call(stub -> stub.getTablets(request.build()), r -> r);
        }
    }

    @Command(name = "ChangeTabletType", description = "Changes a tablet's type among REPLICA, RDONLY and SPARE.")
    static final class ChangeTabletType extends Vtctl.VtctlCommand {
        @Parameters(index = "0", paramLabel = "<alias>")
        String alias;
        @Parameters(index = "1", paramLabel = "<tablet-type>")
        String tabletType;
        @Option(names = {"-d", "--dry-run"}, description = "Show the change without making it.")
        boolean isDryRun;

        @Override
        public Integer call() throws InvalidProtocolBufferException {
            ChangeTabletTypeRequest request = ChangeTabletTypeRequest.newBuilder()
                    .setTabletAlias(TabletAliases.parse(alias)).setDbType(parseType(tabletType))
                    .setDryRun(isDryRun).build();
            return call(stub -> stub.changeTabletType(request), r -> r);
        }
    }
}
