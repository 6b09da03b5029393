package io.tessel.vtgate.vindex;

import io.tessel.common.errors.ErrorCode;
import io.tessel.common.errors.VtException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A registered vindex type: its VSchema name, what VSchema validation needs to know before building one
 * (uniqueness, whether it is a lookup), and the factory that builds an instance from a name and params.
 * Types Tessel knows but cannot run yet have a factory that throws {@code UNIMPLEMENTED}.
 */
public record VindexType(String type, boolean isUnique, boolean isLookup, Factory factory) {
    /** Builds a vindex from its VSchema name and string params. */
    @FunctionalInterface
    public interface Factory {
        Vindex create(String name, Map<String, String> params);
    }

    public VindexType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
    }

    /** A unique, functional type whose vindexes take no params. */
    public static VindexType functional(String type, Function<String, Vindex> constructor) {
        return new VindexType(type, true, false, (name, params) -> constructor.apply(name));
    }

    /** A type that validation knows but that cannot be built yet; {@code reason} says why. */
    public static VindexType unimplemented(String type, boolean isUnique, boolean isLookup, String reason) {
        return new VindexType(type, isUnique, isLookup, (name, params) -> {
            throw VtException.of(ErrorCode.UNIMPLEMENTED,
                    "vindex '" + name + "': type " + type + " is not implemented in Tessel yet: " + reason);
        });
    }

    /** Builds a vindex of this type. */
    public Vindex create(String name, Map<String, String> params) {
        return factory.create(name, params);
    }
}
