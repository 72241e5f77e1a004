package org.vxpool.testkit;

import java.util.Objects;

/**
 * A login role the fixture creates on the primary.
 *
 * @param password ignored (may be null) when {@code encryption} is {@link PasswordEncryption#NONE}
 */
public record DbUser(String name, String password, PasswordEncryption encryption, boolean superuser) {

    public DbUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encryption, "encryption");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
            throw new PgFixtureException("user name not supported by the fixture: " + name);
        }
        if (encryption != PasswordEncryption.NONE && (password == null || password.isEmpty())) {
            throw new PgFixtureException("user " + name + " needs a password for " + encryption);
        }
    }
}
