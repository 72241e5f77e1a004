package org.vxpool.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class a started {@link PgCluster}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));
 *
 * @Test void reads() { PG.cluster().primary().execute("..."); }
 * }</pre>
 *
 * On a static field the cluster lives for the whole class; on an instance field one cluster is
 * started and closed per test method. It is closed even when tests fail.
 */
public final class PgClusterExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final PgCluster.Builder builder;
    private PgCluster cluster;
    private boolean perMethod;

    public PgClusterExtension(PgCluster.Builder builder) {
        this.builder = builder;
    }

    /** The started cluster; only valid inside the test lifecycle. */
    public PgCluster cluster() {
        if (cluster == null) {
            throw new PgFixtureException("PgClusterExtension: no cluster (used outside a test, or startup failed)");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = builder.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (cluster == null) {
            perMethod = true;
            cluster = builder.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perMethod) {
            closeCluster();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeCluster();
    }

    private void closeCluster() {
        PgCluster local = cluster;
        cluster = null;
        if (local != null) {
            local.close();
        }
    }
}
