package org.vxpool.proxy.show;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class ShowCommandsTest {

    private static boolean mayBeShow(String sql) {
        Buffer b = Buffer.buffer("xx" + sql + "yy");
        return ShowCommands.mayBeShow(b, 2, 2 + sql.length());
    }

    @Test
    void leadingCommentsAreSkippedAsTheClassifierSkipsThem() {
        assertThat(mayBeShow(" \n\tSHOW pool_nodes")).isTrue();
        assertThat(mayBeShow("/* app=x */ show pool_nodes")).isTrue();
        assertThat(mayBeShow("/* a /* nested */ b */show pool_nodes")).isTrue();
        assertThat(mayBeShow("-- why\n  PGPOOL SHOW ALL")).isTrue();
        assertThat(mayBeShow("/* app=x */ select 1")).isFalse();
        assertThat(mayBeShow("-- show pool_nodes")).isFalse();
        assertThat(mayBeShow("/* unterminated show")).isFalse();
        assertThat(mayBeShow("select 1 -- show")).isFalse();
    }
}
