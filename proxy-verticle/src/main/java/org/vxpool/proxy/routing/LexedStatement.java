package org.vxpool.proxy.routing;

import java.util.List;

/**
 * One statement of a query string, split at a top-level {@code ;}.
 *
 * @param text the statement's source text, without the terminating {@code ;}
 * @param commentFirst a comment came before the first token (pgpool's {@code allow_sql_comments})
 * @param whitespaceFirst white space came before the first token ({@code ignore_leading_white_space})
 * @param unterminated a string, quoted identifier or comment was still open at the end of input
 */
public record LexedStatement(List<Token> tokens, String text, boolean commentFirst, boolean whitespaceFirst,
        boolean unterminated) {

    private static final Token END = new Token(TokenType.PUNCT, "", -1);

    public LexedStatement {
        tokens = List.copyOf(tokens);
    }

    public int size() {
        return tokens.size();
    }

    /** The token at {@code i}; out of range, an empty punctuation token, so lookahead needs no bounds checks. */
    public Token get(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : END;
    }

    /** The lower-cased word at {@code i}, or "" when it is out of range or not a word. */
    public String word(int i) {
        if (i < 0 || i >= tokens.size() || tokens.get(i).type() != TokenType.WORD) {
            return "";
        }
        return tokens.get(i).text();
    }
}
