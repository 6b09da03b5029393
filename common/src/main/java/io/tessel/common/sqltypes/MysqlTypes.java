package io.tessel.common.sqltypes;

import io.tessel.proto.Query.Type;

/**
 * Maps between MySQL's wire column types (the type byte plus column flags) and Vitess's {@link Type}
 * codes, as Vitess's sqltypes does. Charset 63 ({@code binary}) tells BLOB from TEXT and VARBINARY from
 * VARCHAR.
 */
public final class MysqlTypes {
    // Column type bytes, named as in the MySQL manual (enum_field_types).
    public static final int MYSQL_TYPE_DECIMAL = 0;
    public static final int MYSQL_TYPE_TINY = 1;
    public static final int MYSQL_TYPE_SHORT = 2;
    public static final int MYSQL_TYPE_LONG = 3;
    public static final int MYSQL_TYPE_FLOAT = 4;
    public static final int MYSQL_TYPE_DOUBLE = 5;
    public static final int MYSQL_TYPE_NULL = 6;
    public static final int MYSQL_TYPE_TIMESTAMP = 7;
    public static final int MYSQL_TYPE_LONGLONG = 8;
    public static final int MYSQL_TYPE_INT24 = 9;
    public static final int MYSQL_TYPE_DATE = 10;
    public static final int MYSQL_TYPE_TIME = 11;
    public static final int MYSQL_TYPE_DATETIME = 12;
    public static final int MYSQL_TYPE_YEAR = 13;
    public static final int MYSQL_TYPE_NEWDATE = 14;
    public static final int MYSQL_TYPE_VARCHAR = 15;
    public static final int MYSQL_TYPE_BIT = 16;
    public static final int MYSQL_TYPE_TIMESTAMP2 = 17;
    public static final int MYSQL_TYPE_DATETIME2 = 18;
    public static final int MYSQL_TYPE_TIME2 = 19;
    public static final int MYSQL_TYPE_JSON = 245;
    public static final int MYSQL_TYPE_NEWDECIMAL = 246;
    public static final int MYSQL_TYPE_ENUM = 247;
    public static final int MYSQL_TYPE_SET = 248;
    public static final int MYSQL_TYPE_TINY_BLOB = 249;
    public static final int MYSQL_TYPE_MEDIUM_BLOB = 250;
    public static final int MYSQL_TYPE_LONG_BLOB = 251;
    public static final int MYSQL_TYPE_BLOB = 252;
    public static final int MYSQL_TYPE_VAR_STRING = 253;
    public static final int MYSQL_TYPE_STRING = 254;
    public static final int MYSQL_TYPE_GEOMETRY = 255;

    // Column flags used in the mapping.
    public static final int UNSIGNED_FLAG = 32;
    public static final int BINARY_FLAG = 128;
    public static final int ENUM_FLAG = 256;
    public static final int SET_FLAG = 2048;

    public static final int CHARSET_BINARY = 63;
    public static final int CHARSET_UTF8MB4_GENERAL_CI = 45;

    private MysqlTypes() {}

    /** The Vitess type of a column MySQL described with this type byte, flags and charset. */
    public static Type toVitess(int mysqlType, int flags, int charset) {
        boolean unsigned = (flags & UNSIGNED_FLAG) != 0;
        boolean binary = charset == CHARSET_BINARY;
        return switch (mysqlType) {
            case MYSQL_TYPE_TINY -> unsigned ? Type.UINT8 : Type.INT8;
            case MYSQL_TYPE_SHORT -> unsigned ? Type.UINT16 : Type.INT16;
            case MYSQL_TYPE_INT24 -> unsigned ? Type.UINT24 : Type.INT24;
            case MYSQL_TYPE_LONG -> unsigned ? Type.UINT32 : Type.INT32;
            case MYSQL_TYPE_LONGLONG -> unsigned ? Type.UINT64 : Type.INT64;
            case MYSQL_TYPE_FLOAT -> Type.FLOAT32;
            case MYSQL_TYPE_DOUBLE -> Type.FLOAT64;
            case MYSQL_TYPE_NULL -> Type.NULL_TYPE;
            case MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_TIMESTAMP2 -> Type.TIMESTAMP;
            case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE -> Type.DATE;
            case MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2 -> Type.TIME;
            case MYSQL_TYPE_DATETIME, MYSQL_TYPE_DATETIME2 -> Type.DATETIME;
            case MYSQL_TYPE_YEAR -> Type.YEAR;
            case MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL -> Type.DECIMAL;
            case MYSQL_TYPE_BIT -> Type.BIT;
            case MYSQL_TYPE_JSON -> Type.JSON;
            case MYSQL_TYPE_ENUM -> Type.ENUM;
            case MYSQL_TYPE_SET -> Type.SET;
            case MYSQL_TYPE_GEOMETRY -> Type.GEOMETRY;
            case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB ->
                    binary ? Type.BLOB : Type.TEXT;
            case MYSQL_TYPE_VARCHAR, MYSQL_TYPE_VAR_STRING -> binary ? Type.VARBINARY : Type.VARCHAR;
            case MYSQL_TYPE_STRING -> {
                if ((flags & ENUM_FLAG) != 0) {
                    yield Type.ENUM;
                }
                if ((flags & SET_FLAG) != 0) {
                    yield Type.SET;
                }
                yield binary ? Type.BINARY : Type.CHAR;
            }
            default -> binary ? Type.VARBINARY : Type.VARCHAR;
        };
    }

    /** The MySQL type byte to send to clients for a Vitess type. */
    public static int toMysqlType(Type type) {
        return switch (type) {
            case NULL_TYPE -> MYSQL_TYPE_NULL;
            case INT8, UINT8 -> MYSQL_TYPE_TINY;
            case INT16, UINT16 -> MYSQL_TYPE_SHORT;
            case INT24, UINT24 -> MYSQL_TYPE_INT24;
            case INT32, UINT32 -> MYSQL_TYPE_LONG;
            case INT64, UINT64 -> MYSQL_TYPE_LONGLONG;
            case FLOAT32 -> MYSQL_TYPE_FLOAT;
            case FLOAT64 -> MYSQL_TYPE_DOUBLE;
            case TIMESTAMP -> MYSQL_TYPE_TIMESTAMP;
            case DATE -> MYSQL_TYPE_DATE;
            case TIME -> MYSQL_TYPE_TIME;
            case DATETIME -> MYSQL_TYPE_DATETIME;
            case YEAR -> MYSQL_TYPE_YEAR;
            case DECIMAL -> MYSQL_TYPE_NEWDECIMAL;
            case TEXT, BLOB -> MYSQL_TYPE_BLOB;
            case VARCHAR, VARBINARY, HEXNUM, HEXVAL, BITNUM, EXPRESSION, TUPLE -> MYSQL_TYPE_VAR_STRING;
            case CHAR, BINARY, ENUM, SET -> MYSQL_TYPE_STRING;
            case BIT -> MYSQL_TYPE_BIT;
            case GEOMETRY -> MYSQL_TYPE_GEOMETRY;
            case JSON -> MYSQL_TYPE_JSON;
            case UNRECOGNIZED -> MYSQL_TYPE_VAR_STRING;
        };
    }

    /** Flags implied by a Vitess type that a client expects even if the backend omitted them. */
    public static int impliedFlags(Type type) {
        return switch (type) {
            case UINT8, UINT16, UINT24, UINT32, UINT64 -> UNSIGNED_FLAG;
            case ENUM -> ENUM_FLAG;
            case SET -> SET_FLAG;
            default -> 0;
        };
    }
}
