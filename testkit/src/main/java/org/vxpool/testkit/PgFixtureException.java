package org.vxpool.testkit;

/** The PostgreSQL fixture could not do what a test asked; the message says what and why. */
public class PgFixtureException extends RuntimeException {

    public PgFixtureException(String message) {
        super(message);
    }

    public PgFixtureException(String message, Throwable cause) {
        super(message, cause);
    }
}
