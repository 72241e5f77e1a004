package org.vxpool.watchdog.lag;

/** A WAL location as PostgreSQL prints it ({@code 16/B374D848}), as a byte position. */
final class Lsn {
    private Lsn() {
    }

    /** @throws NumberFormatException for text that is not {@code hex/hex} */
    static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new NumberFormatException("not an LSN: " + text);
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }
}
