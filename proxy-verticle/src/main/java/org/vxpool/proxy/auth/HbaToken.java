package org.vxpool.proxy.auth;

/** One element of a pool_hba.conf list field; a quoted token is never a keyword. */
public record HbaToken(String text, boolean quoted) {
    public boolean isKeyword(String keyword) {
        return !quoted && text.equals(keyword);
    }
}
