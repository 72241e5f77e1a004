package org.vxpool.proxy.routing;

/** Small token-walking helpers shared by the classifier's parts. */
final class TokenScan {

    private TokenScan() {
    }

    /** Index of the ")" closing the "(" at {@code open}, or -1. */
    static int matchingClose(LexedStatement s, int open) {
        int depth = 0;
        for (int i = open; i < s.size(); i++) {
            Token t = s.get(i);
            if (t.isPunct("(") || t.isPunct("[")) {
                depth++;
            } else if (t.isPunct(")") || t.isPunct("]")) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Whether the word appears anywhere from {@code from} on. */
    static boolean hasWord(LexedStatement s, int from, String word) {
        return indexOfWord(s, from, word) >= 0;
    }

    static int indexOfWord(LexedStatement s, int from, String word) {
        for (int i = Math.max(0, from); i < s.size(); i++) {
            if (s.get(i).isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the word at parenthesis depth 0 (relative to {@code from}), or -1. */
    static int indexOfWordAtTop(LexedStatement s, int from, String word) {
        int depth = 0;
        for (int i = Math.max(0, from); i < s.size(); i++) {
            Token t = s.get(i);
            if (t.isPunct("(") || t.isPunct("[")) {
                depth++;
            } else if (t.isPunct(")") || t.isPunct("]")) {
                depth--;
            } else if (depth == 0 && t.isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether words {@code seq} appear consecutively starting at {@code i}. */
    static boolean wordsAt(LexedStatement s, int i, String... seq) {
        for (int k = 0; k < seq.length; k++) {
            if (!s.word(i + k).equals(seq[k])) {
                return false;
            }
        }
        return true;
    }
}
