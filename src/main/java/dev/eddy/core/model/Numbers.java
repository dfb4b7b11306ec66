package dev.eddy.core.model;

import dev.eddy.core.error.Errors;
import java.math.BigDecimal;

/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to below 1E+126, positive,
 * negative or zero. Eddy keeps each number in one canonical text (no exponent, no trailing zeros
 * after the point, no leading zeros, "0" for any zero), the way DynamoDB gives numbers back.
 */
public final class Numbers {
    private static final BigDecimal MAX = new BigDecimal("1E+126");
    private static final BigDecimal MIN = new BigDecimal("1E-130");

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
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw Errors.notANumber(text);
        }
        return checkRange(d);
    }

    /** Range and precision as DynamoDB enforces them, for input and for arithmetic results. */
    public static BigDecimal checkRange(BigDecimal d) {
        if (d.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = d.stripTrailingZeros();
        BigDecimal abs = stripped.abs();
        if (abs.compareTo(MAX) >= 0) {
            throw Errors.numberOverflow();
        }
        if (abs.compareTo(MIN) < 0) {
            throw Errors.numberUnderflow();
        }
        if (stripped.precision() > 38) {
            throw Errors.numberPrecision();
        }
        return stripped;
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
