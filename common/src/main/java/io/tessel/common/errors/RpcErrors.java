package io.tessel.common.errors;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.tessel.proto.Vtrpc.RPCError;

/**
 * Converts errors between {@link VtException}, the {@link RPCError} proto and gRPC status. A MySQL
 * errno and SQLSTATE travel as proto fields in a status trailer, never inside the message text.
 */
public final class RpcErrors {
    public static final Metadata.Key<RPCError> RPC_ERROR_KEY = ProtoUtils.keyForProto(RPCError.getDefaultInstance());

    private RpcErrors() {}

    public static RPCError toProto(VtException e) {
        RPCError.Builder b = RPCError.newBuilder().setCode(e.code().toProto())
                .setMessage(e.getMessage() == null ? "" : e.getMessage());
        if (e.hasErrno()) {
            b.setErrno(e.errno()).setSqlState(e.sqlState());
        }
        return b.build();
    }

    public static VtException fromProto(RPCError err) {
        ErrorCode code = ErrorCode.fromProto(err.getCode());
        if (err.getErrno() != 0) {
            return VtException.mysql(code, err.getErrno(), err.getSqlState(), err.getMessage(), null);
        }
        return VtException.of(code, err.getMessage());
    }

    /** Any throwable as a VtException; unknown failures become INTERNAL. */
    public static VtException toVtException(Throwable t) {
        if (t instanceof VtException e) {
            return e;
        }
        if (t instanceof StatusRuntimeException sre) {
            return fromStatus(sre);
        }
        return VtException.of(ErrorCode.INTERNAL, String.valueOf(t), t);
    }

    public static StatusRuntimeException toStatus(Throwable t) {
        VtException e = toVtException(t);
        Metadata trailers = new Metadata();
        trailers.put(RPC_ERROR_KEY, toProto(e));
        Status status = Status.fromCodeValue(e.code().toProto().getNumber() > 16 ? Status.Code.UNKNOWN.value()
                : e.code().toProto().getNumber()).withDescription(e.getMessage());
        return status.asRuntimeException(trailers);
    }

    public static VtException fromStatus(StatusRuntimeException sre) {
        return fromStatus(sre, "");
    }

    /**
     * The error a failed call to a tablet stands for: the tablet's own structured error when it sent one,
     * else a transport failure naming {@code tablet} (e.g. {@code zone1-101 (commerce/-80)}) so a client
     * learns which shard is down.
     */
    public static VtException fromStatus(StatusRuntimeException sre, String tablet) {
        Metadata trailers = sre.getTrailers();
        RPCError err = trailers == null ? null : trailers.get(RPC_ERROR_KEY);
        if (err != null) {
            return fromProto(err);
        }
        Status s = sre.getStatus();
        ErrorCode code = s.getCode() == Status.Code.OK ? ErrorCode.UNKNOWN
                : ErrorCode.fromProto(io.tessel.proto.Vtrpc.Code.forNumber(s.getCode().value()));
        String msg = s.getDescription() != null ? s.getDescription() : s.getCode().name();
        return VtException.of(code, (tablet.isEmpty() ? "tablet rpc: " : "vttablet " + tablet + ": ") + msg, sre);
    }
}
