package org.sandboxrunner.capabilities;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * libcap's text form of the permitted, effective and inheritable sets, as {@code capsh},
 * {@code getpcaps}, {@code setcap} and cap_from_text(3) / cap_to_text(3) use it:
 * {@code cap_net_bind_service,cap_kill+ep}, {@code =ep}, {@code all+eip},
 * {@code cap_chown=p cap_kill+e}.
 *
 * <p>Grammar (cap_from_text(3)): whitespace-separated clauses applied in order to sets that start
 * empty. A clause is an optional comma-separated list of capabilities (names in any case,
 * {@code all} for every capability the kernel supports, or decimal numbers), then one or more
 * operator-and-flags actions. {@code =} first lowers the listed capabilities in all three sets, then
 * raises them in the sets its flags name (flags may be absent); {@code +} raises and {@code -}
 * lowers them in the named sets and need at least one flag. Flags are {@code e}, {@code i},
 * {@code p}. Without a list, only {@code =} may start the clause and it means {@code all=}; further
 * {@code +}/{@code -} actions need a list. {@code =+} and {@code =-} lower everything first, then
 * act. This accepts exactly what libcap 2.66 accepts, except numbers in octal or hex.
 *
 * <p>{@link #render} writes the form libcap's cap_to_text(3) writes, so the two agree byte for
 * byte: a base clause for the commonest flag combination, then one clause per other combination.
 */
public final class CapabilityText {
    // Flag bits as libcap numbers them (1 << CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE): they
    // decide the order of render's clauses and which combination wins a tie for the base.
    private static final int EFFECTIVE = 1;
    private static final int PERMITTED = 2;
    private static final int INHERITABLE = 4;

    private CapabilityText() {
    }

    /**
     * @throws CapabilityException naming the 1-based position of the first error and what was expected
     */
    public static CapsetSets parse(String text, KernelCapabilities kernel) {
        return new Parser(text, kernel).parse();
    }

    /**
     * The canonical text of {@code sets} on this kernel: what cap_to_text(3) writes for them, e.g.
     * {@code cap_kill,cap_net_bind_service=ep}, {@code =ep cap_sys_resource-ep}, {@code =}.
     *
     * @throws CapabilityException when a set holds a capability the kernel does not support
     */
    public static String render(CapsetSets sets, KernelCapabilities kernel) {
        kernel.requireSupported(sets.permitted(), "permitted");
        kernel.requireSupported(sets.effective(), "effective");
        kernel.requireSupported(sets.inheritable(), "inheritable");
        int[] combinationOf = new int[kernel.lastCap() + 1];
        int[] histogram = new int[8];
        for (int n = 0; n < combinationOf.length; n++) {
            combinationOf[n] = (sets.effective().containsNumber(n) ? EFFECTIVE : 0)
                    | (sets.permitted().containsNumber(n) ? PERMITTED : 0)
                    | (sets.inheritable().containsNumber(n) ? INHERITABLE : 0);
            histogram[combinationOf[n]]++;
        }
        int base = commonest(histogram);
        StringBuilder out = new StringBuilder("=").append(flags(base));
        boolean baseIsEmpty = base == 0;
        for (int t = 7; t >= 0; t--) {
            if (t == base || histogram[t] == 0) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int n = 0; n < combinationOf.length; n++) {
                if (combinationOf[n] == t) {
                    names.add(textName(n));
                }
            }
            out.append(' ').append(String.join(",", names));
            int raise = t & ~base;
            int lower = base & ~t;
            if (raise != 0 && baseIsEmpty) {
                // "= a,b+ep" is written "a,b=ep": libcap folds an empty base into the first clause.
                out.delete(0, 2).append('=').append(flags(raise));
                baseIsEmpty = false;
            } else if (raise != 0) {
                out.append('+').append(flags(raise));
            }
            if (lower != 0) {
                out.append('-').append(flags(lower));
            }
        }
        return out.toString();
    }

    /** The flag combination most capabilities share; a tie goes to the lowest combination, as in libcap. */
    private static int commonest(int[] histogram) {
        int base = 7;
        for (int t = 6; t >= 0; t--) {
            if (histogram[t] >= histogram[base]) {
                base = t;
            }
        }
        return base;
    }

    private static String flags(int flags) {
        return ((flags & EFFECTIVE) != 0 ? "e" : "")
                + ((flags & INHERITABLE) != 0 ? "i" : "")
                + ((flags & PERMITTED) != 0 ? "p" : "");
    }

    private static String textName(int number) {
        return Capability.fromNumber(number).map(Capability::textName).orElse(Integer.toString(number));
    }

    /** One parse: a cursor over the text and the three sets built so far. */
    private static final class Parser {
        private final String text;
        private final KernelCapabilities kernel;
        private int pos;
        private long effective;
        private long inheritable;
        private long permitted;

        Parser(String text, KernelCapabilities kernel) {
            this.text = text;
            this.kernel = kernel;
        }

        CapsetSets parse() {
            while (true) {
                skipWhitespace();
                if (atEnd()) {
                    return new CapsetSets(new CapabilitySet(permitted), new CapabilitySet(effective), new CapabilitySet(inheritable));
                }
                clause();
            }
        }

        private void clause() {
            boolean listed = isNameChar(peek());
            long list;
            if (listed) {
                list = capabilityList();
            } else if (peek() == '+' || peek() == '-') {
                throw error("'" + peek() + "' needs a list of capabilities before it; only '=' may stand alone (meaning all=)");
            } else {
                list = kernel.all().bits();
            }
            if (peek() != '=' && peek() != '+' && peek() != '-') {
                throw error(atEnd() ? "expected '=', '+' or '-' after the capabilities"
                        : "unexpected '" + peek() + "': expected ',', '=', '+' or '-'");
            }
            char op = text.charAt(pos++);
            if (op == '=') {
                lower(list, EFFECTIVE | INHERITABLE | PERMITTED);
                if (peek() == '+' || peek() == '-') {
                    op = nextOperator(listed); // "=+e": lower everything listed, then raise e
                }
            }
            while (true) {
                int flags = flags(op);
                if (op == '-') {
                    lower(list, flags);
                } else {
                    raise(list, flags);
                }
                if (atEnd() || isWhitespace(peek())) {
                    return;
                }
                op = nextOperator(listed);
            }
        }

        /** Reads the '+' or '-' of a further action; only a clause with a list may have one. */
        private char nextOperator(boolean listed) {
            char op = text.charAt(pos);
            if (!listed) {
                throw error("'" + op + "' needs a list of capabilities before the clause's '='");
            }
            pos++;
            return op;
        }

        private long capabilityList() {
            long list = 0;
            while (true) {
                int start = pos;
                while (!atEnd() && isNameChar(peek())) {
                    pos++;
                }
                list |= capability(text.substring(start, pos), start);
                if (atEnd() || peek() != ',') {
                    return list;
                }
                pos++;
                if (atEnd() || !isNameChar(peek())) {
                    throw error("expected a capability name after ','");
                }
            }
        }

        private long capability(String token, int start) {
            try {
                if (token.equalsIgnoreCase("all")) {
                    return kernel.all().bits();
                }
                if (token.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return 1L << kernel.requireNumber(number(token));
                }
                return kernel.require(Capability.fromName(token)).mask();
            } catch (CapabilityException e) {
                pos = start;
                throw error(e.getMessage());
            }
        }

        /** A decimal capability number; libcap would read a leading 0 as octal, so it is refused. */
        private static int number(String digits) {
            if (digits.length() > 1 && digits.startsWith("0")) {
                throw new CapabilityException("capability number " + digits + " has a leading zero; write it in decimal");
            }
            if (digits.length() > 2 || Integer.parseInt(digits) > 63) {
                throw new CapabilityException("capability number " + digits + " is outside 0..63");
            }
            return Integer.parseInt(digits);
        }

        private int flags(char op) {
            int flags = 0;
            while (!atEnd() && (peek() == 'e' || peek() == 'i' || peek() == 'p')) {
                char c = text.charAt(pos++);
                flags |= c == 'e' ? EFFECTIVE : c == 'i' ? INHERITABLE : PERMITTED;
            }
            if (peek() == '=') {
                throw error("'=' can only be a clause's first action");
            }
            if (!atEnd() && !isWhitespace(peek()) && peek() != '+' && peek() != '-') {
                throw error("unexpected '" + peek() + "': flags are e, i and p");
            }
            if (flags == 0 && op != '=') {
                throw error("'" + op + "' needs at least one of the flags e, i, p");
            }
            return flags;
        }

        private void raise(long list, int flags) {
            if ((flags & EFFECTIVE) != 0) {
                effective |= list;
            }
            if ((flags & INHERITABLE) != 0) {
                inheritable |= list;
            }
            if ((flags & PERMITTED) != 0) {
                permitted |= list;
            }
        }

        private void lower(long list, int flags) {
            if ((flags & EFFECTIVE) != 0) {
                effective &= ~list;
            }
            if ((flags & INHERITABLE) != 0) {
                inheritable &= ~list;
            }
            if ((flags & PERMITTED) != 0) {
                permitted &= ~list;
            }
        }

        private CapabilityException error(String what) {
            return new CapabilityException("capability text \"" + text + "\" at position " + (pos + 1) + ": " + what);
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private char peek() {
            return atEnd() ? '\0' : text.charAt(pos);
        }

        private void skipWhitespace() {
            while (!atEnd() && isWhitespace(peek())) {
                pos++;
            }
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
        }

        private static boolean isNameChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
    }
}
