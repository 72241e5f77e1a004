package org.vxpool.proxy.pool;

import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SqlState;

/** The backend asked for a password that vxpool does not hold for this user. */
public class MissingCredentialsException extends PgProtocolException {

    public MissingCredentialsException(String user, int authCode) {
        super(SqlState.INVALID_AUTHORIZATION, "backend asked for authentication (code " + authCode
                + ") for user \"" + user + "\" but vxpool holds no password for it");
    }
}
