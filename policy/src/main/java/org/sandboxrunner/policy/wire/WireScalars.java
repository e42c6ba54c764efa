package org.sandboxrunner.policy.wire;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.ByteSizes;
import org.sandboxrunner.policy.RlimitSpec;

/**
 * Scalars that accept more than one spelling: each reads every accepted form and writes exactly
 * one (the canonical form), and refuses anything else with a message saying what would be valid.
 */
public final class WireScalars {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private WireScalars() {}

    /** A byte count: an integer, or a string such as {@code 64M}; written as an integer. */
    @JsonDeserialize(using = Size.Reader.class)
    public record Size(long bytes) {
        @JsonValue
        @Override
        public long bytes() {
            return bytes;
        }

        static final class Reader extends StdDeserializer<Size> {
            private static final long serialVersionUID = 1L;

            Reader() {
                super(Size.class);
            }

            @Override
            public Size deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                    return new Size(nonNegativeLong(p, "a size"));
                }
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    try {
                        return new Size(ByteSizes.parse(p.getText()));
                    } catch (IllegalArgumentException e) {
                        throw new WireValueException(p, e.getMessage());
                    }
                }
                throw new WireValueException(p, "expected a size: a number of bytes, or digits with a K, M or G"
                        + " suffix (powers of 1024) such as 64M; got " + Describe.token(p));
            }
        }
    }

    /**
     * An unsigned 64-bit number (a seccomp argument value); held in a {@code long} with the same bits,
     * written in decimal.
     */
    @JsonDeserialize(using = Uint64.Reader.class)
    public record Uint64(long bits) {
        @JsonValue
        public Number json() {
            return bits >= 0 ? Long.valueOf(bits) : new BigInteger(Long.toUnsignedString(bits));
        }

        static final class Reader extends StdDeserializer<Uint64> {
            private static final long serialVersionUID = 1L;

            Reader() {
                super(Uint64.class);
            }

            @Override
            public Uint64 deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                    BigInteger value = p.getBigIntegerValue();
                    if (value.signum() >= 0 && value.compareTo(UINT64_MAX) <= 0) {
                        return new Uint64(value.longValue());
                    }
                }
                throw new WireValueException(p, "expected an unsigned 64-bit integer (0 to " + UINT64_MAX
                        + "); got " + Describe.token(p));
            }
        }
    }

    /**
     * An rlimit value: an integer, a size string such as {@code 8M}, or {@code unlimited} (also
     * accepted as 18446744073709551615, RLIM_INFINITY as OCI configs write it). Written as an integer
     * or {@code "unlimited"}.
     */
    @JsonDeserialize(using = RlimitValue.Reader.class)
    public record RlimitValue(long value) {
        static final String UNLIMITED = "unlimited";

        @JsonValue
        public Object json() {
            return value == RlimitSpec.UNLIMITED ? UNLIMITED : Long.valueOf(value);
        }

        static final class Reader extends StdDeserializer<RlimitValue> {
            private static final long serialVersionUID = 1L;

            Reader() {
                super(RlimitValue.class);
            }

            @Override
            public RlimitValue deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getBigIntegerValue().equals(UINT64_MAX)) {
                    return new RlimitValue(RlimitSpec.UNLIMITED);
                }
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                    return new RlimitValue(nonNegativeLong(p, "an rlimit value"));
                }
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    if (p.getText().equals(UNLIMITED)) {
                        return new RlimitValue(RlimitSpec.UNLIMITED);
                    }
                    try {
                        return new RlimitValue(ByteSizes.parse(p.getText()));
                    } catch (IllegalArgumentException e) {
                        throw new WireValueException(p, e.getMessage() + ", or 'unlimited'");
                    }
                }
                throw new WireValueException(p, "expected an rlimit value: an integer, a size such as 8M, or"
                        + " 'unlimited'; got " + Describe.token(p));
            }
        }
    }

    /**
     * A umask: an integer (OCI writes 18 for 0022) or a string of octal digits ({@code "0022"},
     * {@code "0o022"}); written as an integer.
     */
    @JsonDeserialize(using = Umask.Reader.class)
    public record Umask(int bits) {
        private static final Pattern OCTAL = Pattern.compile("(0o)?[0-7]{1,4}");

        @JsonValue
        @Override
        public int bits() {
            return bits;
        }

        static final class Reader extends StdDeserializer<Umask> {
            private static final long serialVersionUID = 1L;

            Reader() {
                super(Umask.class);
            }

            @Override
            public Umask deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                long value = -1;
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getBigIntegerValue().bitLength() < 32) {
                    value = p.getLongValue();
                } else if (p.currentToken() == JsonToken.VALUE_STRING && OCTAL.matcher(p.getText()).matches()) {
                    value = Long.parseLong(p.getText().replace("0o", ""), 8);
                }
                if (value < 0 || value > 0777) {
                    throw new WireValueException(p, "expected a umask between 0 and 0777: an integer, or octal"
                            + " digits in a string such as \"0022\"; got " + Describe.token(p));
                }
                return new Umask((int) value);
            }
        }
    }

    private static long nonNegativeLong(JsonParser p, String what) throws IOException {
        BigInteger value = p.getBigIntegerValue();
        if (value.signum() < 0 || value.bitLength() > 63) {
            throw new WireValueException(p, "expected " + what + " between 0 and " + Long.MAX_VALUE
                    + "; got " + Describe.token(p));
        }
        return value.longValue();
    }
}
