package io.tessel.vtgate.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few DER (ASN.1 distinguished encoding) elements an X.509 certificate needs, each returned as its
 * complete tag-length-value bytes. Enough for {@link SelfSignedCertificate}; not a general ASN.1 library.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-X.690">ITU-T X.690</a>
 */
final class Der {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {}

    static byte[] sequence(byte[]... elements) {
        return tlv(0x30, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return tlv(0x31, concat(elements));
    }

    static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xFF : 0)});
    }

    static byte[] nullValue() {
        return new byte[] {0x05, 0x00};
    }

    static byte[] octetString(byte[] value) {
        return tlv(0x04, value);
    }

    /** A BIT STRING of whole bytes (no unused bits). */
    static byte[] bitString(byte[] value) {
        byte[] body = new byte[value.length + 1];
        System.arraycopy(value, 0, body, 1, value.length);
        return tlv(0x03, body);
    }

    static byte[] utf8String(String value) {
        return tlv(0x0C, value.getBytes(StandardCharsets.UTF_8));
    }

    /** UTCTime before 2050, GeneralizedTime from then on, as RFC 5280 section 4.1.2.5 asks. */
    static byte[] time(ZonedDateTime at) {
        ZonedDateTime utc = at.withZoneSameInstant(ZoneOffset.UTC);
        return utc.getYear() < 2050 ? tlv(0x17, utc.format(UTC_TIME).getBytes(StandardCharsets.US_ASCII))
                : tlv(0x18, utc.format(GENERALIZED_TIME).getBytes(StandardCharsets.US_ASCII));
    }

    /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 1.2.840.113549.1.1.11}. */
    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long arc = Long.parseLong(parts[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((arc >>> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    /** An explicitly tagged, constructed context-specific element {@code [tag]}. */
    static byte[] explicit(int tag, byte[] element) {
        return tlv(0xA0 | tag, element);
    }

    /** An implicitly tagged, primitive context-specific element {@code [tag]} with raw contents. */
    static byte[] implicit(int tag, byte[] contents) {
        return tlv(0x80 | tag, contents);
    }

    static byte[] tlv(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int n = contents.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
