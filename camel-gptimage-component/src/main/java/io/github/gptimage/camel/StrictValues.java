package io.github.gptimage.camel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads option, header and body values only when they convert exactly: Camel's own conversions read a duration it
 * cannot parse ({@code abc}) as 0, a boolean such as {@code yes} as false, and Jackson truncates 2.5 to 2. Each method
 * returns null for a value it refuses, and the caller names it in its error.
 */
final class StrictValues {

    /** Camel's duration text form: 1h30m, 10s, 250ms, 2d (what {@code TimeUtils} reads, without its leniency). */
    private static final Pattern UNIT_DURATION = Pattern.compile("(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

    static final String DURATION_FORMS = "milliseconds (500), a duration such as 10s, 5m, 1h30m or 250ms, or ISO-8601"
                                         + " (PT10S)";

    private StrictValues() {
    }

    /** The duration a text means the way Camel reads it, or null when Camel would misread it. */
    static Duration duration(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (WHOLE_NUMBER.matcher(text).matches() && text.charAt(0) != '+') {
            try {
                return Duration.ofMillis(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String unsigned = text.startsWith("-") ? text.substring(1) : text;
        if (unsigned.startsWith("P") || unsigned.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (!UNIT_DURATION.matcher(text).matches()) {
            return null;
        }
        return Duration.ofMillis(org.apache.camel.util.TimeUtils.toMilliSeconds(text));
    }

    /** A whole number within {@code [min, max]}, from a Number or a String; null otherwise. */
    static Long wholeNumber(Object value, long min, long max) {
        BigInteger whole = null;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            whole = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            whole = big;
        } else if (value instanceof Number number) {
            whole = exactInteger(number);
        } else if (value instanceof String text) {
            String trimmed = text.trim();
            whole = WHOLE_NUMBER.matcher(trimmed).matches() ? new BigInteger(trimmed) : null;
        }
        if (whole == null || whole.compareTo(BigInteger.valueOf(min)) < 0 || whole.compareTo(BigInteger.valueOf(max)) > 0) {
            return null;
        }
        return whole.longValue();
    }

    private static BigInteger exactInteger(Number number) {
        try {
            BigDecimal decimal = number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
            return decimal.toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** A Boolean, or the String true or false in any case; null otherwise. */
    static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String text) {
            String trimmed = text.trim().toLowerCase(Locale.ROOT);
            if (trimmed.equals("true")) {
                return Boolean.TRUE;
            }
            if (trimmed.equals("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }
}
