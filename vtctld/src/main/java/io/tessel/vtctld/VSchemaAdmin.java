package io.tessel.vtctld;

import io.tessel.vtgate.vindex.VSchemaValidator;
import io.tessel.vtgate.vindex.VindexRegistry;
import static io.tessel.vtctld.AdminChecks.require;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import io.tessel.proto.Vschema;
import io.tessel.proto.Vtctldata.ApplyVSchemaRequest;
import io.tessel.proto.Vtctldata.ApplyVSchemaResponse;
import io.tessel.proto.Vtctldata.GetVSchemaResponse;
import io.tessel.topo.Topo;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VSchema RPCs over {@link Topo}: ApplyVSchema validates with {@link VSchemaValidator}, stores the
 * keyspace VSchema unless it is a dry run, and rebuilds SrvVSchema in the requested cells (all by default)
 * unless told to skip it; GetVSchema reads it back. Thread-safe.
 */
final class VSchemaAdmin {
    private static final VSchemaValidator VALIDATOR = new VSchemaValidator(VindexRegistry.builtin());
    private static final Logger log = LoggerFactory.getLogger(VSchemaAdmin.class);

    private final Topo topo;

    VSchemaAdmin(Topo topo) {
        this.topo = topo;
    }

    ApplyVSchemaResponse apply(ApplyVSchemaRequest request) {
        String keyspace = require("keyspace", request.getKeyspace());
        if (!request.getSql().isEmpty()) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, "ApplyVSchema from sql (vschema DDL) is not supported; "
                    + "pass the vschema as JSON");
        }
        if (request.getStrict()) {
            throw VtException.of(ErrorCode.UNIMPLEMENTED, "ApplyVSchema strict (rejecting unknown vindex params) is "
                    + "not supported: vtctld does not know each vindex type's params");
        }
        if (!request.hasVSchema()) {
            throw AdminChecks.invalid("v_schema is required");
        }
        AdminChecks.keyspace(topo, keyspace);
        List<String> cells = AdminChecks.cells(topo, request.getCellsList());
        Vschema.Keyspace vschema = request.getVSchema();
        VALIDATOR.validate(null, vschema);
        ApplyVSchemaResponse response = ApplyVSchemaResponse.newBuilder().setVSchema(vschema).build();
        if (request.getDryRun()) {
            return response;
        }
        topo.saveVSchema(keyspace, vschema);
        if (!request.getSkipRebuild()) {
            topo.rebuildVSchemaGraph(cells);
        }
        log.info("vtctld: applied vschema of keyspace {} (sharded={}, {} vindexes, {} tables, rebuilt={})", keyspace,
                vschema.getSharded(), vschema.getVindexesCount(), vschema.getTablesCount(), !request.getSkipRebuild());
        return response;
    }

    GetVSchemaResponse get(String keyspace) {
        AdminChecks.keyspace(topo, keyspace);
        Vschema.Keyspace vschema = AdminChecks.find("vschema of keyspace '" + keyspace + "'",
                () -> topo.getVSchema(keyspace));
        return GetVSchemaResponse.newBuilder().setVSchema(vschema).build();
    }
}
