package org.vxpool.proxy.routing;

/**
 * One lexical token.
 *
 * @param text for {@link TokenType#WORD} the lower-cased word; for {@link TokenType#QUOTED_IDENT}
 *             the identifier without quotes; otherwise the source text
 * @param start offset of the first character in the SQL string
 */
public record Token(TokenType type, String text, int start) {

    public boolean isWord(String lowerCase) {
        return type == TokenType.WORD && text.equals(lowerCase);
    }

    public boolean isPunct(String p) {
        return type == TokenType.PUNCT && text.equals(p);
    }

    /** A name as written: an unquoted word or a quoted identifier. */
    public boolean isIdentifier() {
        return type == TokenType.WORD || type == TokenType.QUOTED_IDENT;
    }
}
