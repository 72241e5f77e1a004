package org.vxpool.proxy.auth;

import java.util.Base64;

/** Reads the {@code attr=value,} syntax of SCRAM messages (RFC 5802 section 7). */
final class ScramReader {
    private final String text;
    private int pos;

    ScramReader(String text) {
        this.text = text;
    }

    char next() throws AuthException {
        if (pos >= text.length()) {
            throw AuthException.malformedScram("Unexpected end of SCRAM message.");
        }
        return text.charAt(pos++);
    }

    char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    void expect(char c) throws AuthException {
        char got = next();
        if (got != c) {
            throw AuthException.malformedScram("Comma expected, but found character \"" + got + "\".");
        }
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    String consumed() {
        return text.substring(0, pos);
    }

    String rest() {
        return text.substring(pos);
    }

    /** Reads {@code name=value} and the comma after it, if any. */
    String attribute(char name) throws AuthException {
        char got = next();
        if (got != name || next() != '=') {
            throw AuthException.malformedScram("Expected attribute \"" + name + "\" but found \""
                    + got + "\".");
        }
        int end = text.indexOf(',', pos);
        if (end < 0) {
            end = text.length();
        }
        String value = text.substring(pos, end);
        pos = end < text.length() ? end + 1 : end;
        return value;
    }

    byte[] base64Attribute(char name, String malformedDetail) throws AuthException {
        String value = attribute(name);
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw AuthException.malformedScram(malformedDetail);
        }
    }

    /** Skips one {@code x=...} extension unless it is {@code stop}; false at {@code stop}. */
    boolean skipExtensionUnless(char stop) throws AuthException {
        if (atEnd()) {
            throw AuthException.malformedScram("Expected attribute \"" + stop + "\" but found end of string.");
        }
        if (peek() == stop) {
            return false;
        }
        attribute(peek());
        return true;
    }

    /** RFC 5802's printable: 0x21..0x7E except comma. */
    static boolean isPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }
}
