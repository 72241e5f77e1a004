package org.vxpool.proxy.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) of a SCRAM password, the way PostgreSQL's {@code pg_saslprep} applies it:
 * a pure-ASCII password is used unchanged; otherwise it is mapped (non-ASCII spaces to space,
 * "commonly mapped to nothing" characters removed), NFKC-normalized, and checked for prohibited
 * characters and the bidi rule. When the password is not valid UTF-8 or a check fails,
 * PostgreSQL (server and libpq alike) uses the raw bytes instead of failing, and so do we.
 *
 * <p>Difference from PostgreSQL: the "unassigned code point" check and NFKC use the JVM's Unicode
 * tables instead of Unicode 3.2. A password with characters assigned after Unicode 3.2 is
 * therefore normalized here where PostgreSQL would use it raw; for most such characters NFKC is
 * the identity and the result is the same bytes.
 */
public final class SaslPrep {
    private SaslPrep() {
    }

    public static byte[] prepareForScram(String password) {
        return prepareForScram(password.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes to feed into Hi(): prepared when possible, else the input unchanged. */
    public static byte[] prepareForScram(byte[] utf8) {
        if (isAscii(utf8)) {
            return utf8.clone();
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            return utf8.clone();
        }
        String prepared = prepare(decoded);
        return prepared == null ? utf8.clone() : prepared.getBytes(StandardCharsets.UTF_8);
    }

    /** SASLprep of a string, or null when it contains prohibited output or breaks the bidi rule. */
    static String prepare(String input) {
        StringBuilder mapped = new StringBuilder(input.length());
        input.codePoints().forEach(cp -> {
            if (isNonAsciiSpace(cp)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(cp)) {
                mapped.appendCodePoint(cp);
            }
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        int[] cps = normalized.codePoints().toArray();
        boolean randAl = false;
        boolean lCat = false;
        for (int cp : cps) {
            if (isProhibited(cp) || !Character.isDefined(cp)) {
                return null;
            }
            byte dir = Character.getDirectionality(cp);
            randAl |= dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            lCat |= dir == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (randAl && (lCat || !isRandAl(cps[0]) || !isRandAl(cps[cps.length - 1]))) {
            return null;
        }
        return normalized;
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRandAl(int cp) {
        byte dir = Character.getDirectionality(cp);
        return dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table C.1.2. */
    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** RFC 3454 table B.1. */
    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F)
                || cp == 0xFEFF;
    }

    /** RFC 3454 tables C.1.2 and C.2.1 to C.9, the ones SASLprep prohibits. */
    private static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
                || cp <= 0x1F || cp == 0x7F                                           // C.2.1
                || (cp >= 0x80 && cp <= 0x9F) || cp == 0x06DD || cp == 0x070F         // C.2.2
                || cp == 0x180E || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F)
                || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC) || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000                    // C.3
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE          // C.4
                || (cp >= 0xD800 && cp <= 0xDFFF)                                     // C.5
                || (cp >= 0xFFF9 && cp <= 0xFFFD)                                     // C.6
                || (cp >= 0x2FF0 && cp <= 0x2FFB)                                     // C.7
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F       // C.8
                || (cp >= 0x202A && cp <= 0x202E)
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);                 // C.9
    }
}
