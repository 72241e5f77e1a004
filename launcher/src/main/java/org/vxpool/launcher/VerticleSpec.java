package org.vxpool.launcher;

import io.vertx.core.Deployable;
import java.util.function.Supplier;

/**
 * One deployment of the node.
 *
 * @param name what the log calls it
 * @param factory makes one instance per deployed copy
 * @param instances how many copies (the proxy runs one per event loop)
 */
public record VerticleSpec(String name, Supplier<? extends Deployable> factory, int instances) {

    public static VerticleSpec single(String name, Supplier<? extends Deployable> factory) {
        return new VerticleSpec(name, factory, 1);
    }
}
