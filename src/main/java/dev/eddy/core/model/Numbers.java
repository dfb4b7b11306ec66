package dev.eddy.core.model;

import dev.eddy.core.error.Errors;
import java.math.BigDecimal;

/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to below 1E+126, positive,
 * negative or zero. Eddy keeps each number in one canonical text (no exponent, no trailing zeros
 * after the point, no leading zeros, "0" for any zero), the way DynamoDB gives numbers back.
 */
public final class Numbers {
    /** Largest and smallest power of ten a number's leading digit may have. */
    private static final long MAX_EXPONENT = 125;
    private static final long MIN_EXPONENT = -130;

    private Numbers() {
    }

    /** Validates client text and returns its canonical form. */
    public static String canonical(String text) {
        return canonicalText(parse(text));
    }

    public static BigDecimal parse(String text) {
        if (!looksNumeric(text)) {
            throw Errors.notANumber(text);
        }
        // Zero is zero whatever exponent it is written with: 0e1000 is 0, not an overflow.
        if (isZero(text)) {
            return BigDecimal.ZERO;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            // The shape is fine, so the exponent is past an int: DynamoDB still reads it as a magnitude.
            throw hugeExponent(text);
        }
        return checkRange(d);
    }

    /** Whether the digits before any exponent are all zeros (the text already looks numeric). */
    private static boolean isZero(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    /** Range and precision as DynamoDB enforces them, for input and for arithmetic results. */
    public static BigDecimal checkRange(BigDecimal d) {
        if (d.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // Checked on the exponent first: stripping zeros off 10E+2147483647 would overflow the scale.
        checkMagnitude(adjustedExponent(d));
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.precision() > 38) {
            throw Errors.numberPrecision();
        }
        return stripped;
    }

    /** The power of ten of the leading digit: 1E+125 is 125, 0.001 is -3. */
    private static long adjustedExponent(BigDecimal d) {
        return (long) d.precision() - d.scale() - 1;
    }

    private static void checkMagnitude(long adjustedExponent) {
        if (adjustedExponent > MAX_EXPONENT) {
            throw Errors.numberOverflow();
        }
        if (adjustedExponent < MIN_EXPONENT) {
            throw Errors.numberUnderflow();
        }
    }

    /**
     * An exponent too large for BigDecimal: one that fits a 64-bit integer is an overflow or an
     * underflow, as in DynamoDB; a longer one cannot be converted at all.
     */
    private static RuntimeException hugeExponent(String text) {
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        long exponent;
        try {
            exponent = Long.parseLong(text.substring(e + 1));
        } catch (NumberFormatException tooLong) {
            return Errors.notANumber(text);
        }
        long mantissa = adjustedExponent(new BigDecimal(text.substring(0, e)));
        long adjusted;
        try {
            adjusted = Math.addExact(exponent, mantissa);
        } catch (ArithmeticException beyondLong) {
            adjusted = exponent;
        }
        return adjusted > MAX_EXPONENT ? Errors.numberOverflow()
                : adjusted < MIN_EXPONENT ? Errors.numberUnderflow() : Errors.notANumber(text);
    }

    public static String canonicalText(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        return d.stripTrailingZeros().toPlainString();
    }

    /**
     * DynamoDB accepts an optional sign, digits with an optional point, and an optional exponent;
     * BigDecimal alone would also take forms DynamoDB refuses, so the shape is checked first.
     */
    private static boolean looksNumeric(String t) {
        int n = t.length();
        int i = 0;
        if (n == 0) {
            return false;
        }
        if (t.charAt(i) == '-' || t.charAt(i) == '+') {
            i++;
        }
        int digits = 0;
        while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
                i++;
            }
            int exp = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** Significant digits of a canonical number, for DynamoDB's item-size arithmetic. */
    public static int significantDigits(String canonical) {
        int count = 0;
        int firstNonZero = -1;
        int lastNonZero = -1;
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c >= '1' && c <= '9') {
                if (firstNonZero < 0) {
                    firstNonZero = count;
                }
                lastNonZero = count;
            }
            if (c >= '0' && c <= '9') {
                count++;
            }
        }
        return firstNonZero < 0 ? 1 : lastNonZero - firstNonZero + 1;
    }
}
