package org.vxpool.common.config;

import static org.vxpool.common.config.Params.BACKEND_APPLICATION_NAME;
import static org.vxpool.common.config.Params.BACKEND_DATA_DIRECTORY;
import static org.vxpool.common.config.Params.BACKEND_FLAG;
import static org.vxpool.common.config.Params.BACKEND_HOSTNAME;
import static org.vxpool.common.config.Params.BACKEND_PORT;
import static org.vxpool.common.config.Params.BACKEND_WEIGHT;

import java.util.ArrayList;
import java.util.List;

/** Builds the backend list from {@code backend_*N}. */
final class BackendsReader {
    private BackendsReader() {
    }

    static List<BackendConfig> read(Settings s, Problems problems) {
        List<Integer> ids = IndexedGroup.ids(s, BACKEND_HOSTNAME, List.of(BACKEND_PORT, BACKEND_WEIGHT,
                BACKEND_DATA_DIRECTORY, BACKEND_FLAG, BACKEND_APPLICATION_NAME), problems);
        if (!ids.contains(0)) {
            problems.error(BACKEND_HOSTNAME.key(0), "missing: at least one backend must be configured");
        }
        List<BackendConfig> backends = new ArrayList<>();
        for (int id : ids) {
            backends.add(new BackendConfig(id,
                    s.get(BACKEND_HOSTNAME, id),
                    s.get(BACKEND_PORT, id),
                    s.get(BACKEND_WEIGHT, id),
                    s.get(BACKEND_DATA_DIRECTORY, id),
                    s.get(BACKEND_FLAG, id),
                    s.get(BACKEND_APPLICATION_NAME, id)));
        }
        return List.copyOf(backends);
    }
}
