package dev.forkline.kernel.replay;

import java.math.BigDecimal;

/**
 * The canonical form of a JSON number, from its exact decimal value (never through a double, so that
 * {@code 1764435600123456789} and {@code 1764435600123456768} stay apart): the digits without leading or trailing
 * zeros, laid out as ECMAScript's {@code Number.prototype.toString} lays out the digits of a double. With digits
 * {@code d1…dk} and {@code n} such that the value is {@code 0.d1…dk × 10^n}:
 * <pre>
 *   k ≤ n ≤ 21     d1…dk then n−k zeros              100, 1764435600123456789
 *   0 &lt; n ≤ 21     d1…dn . dn+1…dk                   12.5, 3.14
 *   −6 &lt; n ≤ 0     0. then −n zeros then d1…dk        0.5, 0.000001
 *   otherwise      d1[.d2…dk]e±(n−1)                  1e+21, 1.5e-7
 * </pre>
 * Zero is {@code 0} (so is {@code -0}); a negative number is {@code -} and the form of its magnitude. So
 * {@code 1}, {@code 1.0}, {@code 1.00} and {@code 1e0} are all {@code 1}, {@code 1e2} is {@code 100}, and a number
 * written as the shortest form of a double comes out as {@code JSON.stringify} and RFC 8785 write it.
 */
final class CanonicalNumber
{
    private static final int MAX_PLAIN = 21;
    private static final int MIN_PLAIN = -6;

    private CanonicalNumber()
    {
    }

    static String format(final BigDecimal value)
    {
        if (value.signum() == 0)
        {
            return "0";
        }
        final BigDecimal stripped = value.stripTrailingZeros();
        final String digits = stripped.unscaledValue().abs().toString();
        final int k = digits.length();
        final long n = (long)k - stripped.scale(); // value = 0.d1…dk × 10^n
        final StringBuilder out = new StringBuilder(k + 8);
        if (stripped.signum() < 0)
        {
            out.append('-');
        }
        if (k <= n && n <= MAX_PLAIN)
        {
            out.append(digits);
            for (long i = k; i < n; i++)
            {
                out.append('0');
            }
        }
        else if (0 < n && n <= MAX_PLAIN)
        {
            out.append(digits, 0, (int)n).append('.').append(digits, (int)n, k);
        }
        else if (MIN_PLAIN < n && n <= 0)
        {
            out.append("0.");
            for (long i = n; i < 0; i++)
            {
                out.append('0');
            }
            out.append(digits);
        }
        else
        {
            out.append(digits.charAt(0));
            if (k > 1)
            {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(n - 1 > 0 ? '+' : '-').append(Math.abs(n - 1));
        }
        return out.toString();
    }
}
