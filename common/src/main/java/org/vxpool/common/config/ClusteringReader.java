package org.vxpool.common.config;

import static org.vxpool.common.config.Params.BACKEND_CLUSTERING_MODE;
import static org.vxpool.common.config.Params.MASTER_SLAVE_MODE;
import static org.vxpool.common.config.Params.MASTER_SLAVE_SUB_MODE;
import static org.vxpool.common.config.Params.REPLICATION_MODE;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Decides the clustering mode. {@code backend_clustering_mode} (4.2+) wins; otherwise the 3.x
 * switches are translated: master_slave_mode + sub mode 'stream' is streaming replication,
 * replication_mode is native replication, neither is raw. A file with none of them gets
 * pgpool 4.3's default, streaming replication.
 */
final class ClusteringReader {
    private ClusteringReader() {
    }

    private static final List<Param<?>> LEGACY = List.of(MASTER_SLAVE_MODE, MASTER_SLAVE_SUB_MODE, REPLICATION_MODE);

    static ClusteringMode read(Settings s, Problems problems) {
        if (s.isSet(BACKEND_CLUSTERING_MODE)) {
            for (Param<?> legacy : LEGACY) {
                s.setting(legacy).ifPresent(set -> problems.warning(set.entry(),
                        "ignored: backend_clustering_mode is set"));
            }
            return checkSupported(s.get(BACKEND_CLUSTERING_MODE), s, BACKEND_CLUSTERING_MODE, problems);
        }
        if (LEGACY.stream().noneMatch(s::isSet)) {
            return BACKEND_CLUSTERING_MODE.defaultValue();
        }
        boolean masterSlave = s.get(MASTER_SLAVE_MODE);
        if (masterSlave && s.get(REPLICATION_MODE)) {
            problems.error(s.setting(REPLICATION_MODE).orElseThrow().entry(),
                    "replication_mode and master_slave_mode cannot both be on");
            return ClusteringMode.RAW;
        }
        if (s.get(REPLICATION_MODE)) {
            return checkSupported(ClusteringMode.NATIVE_REPLICATION, s, REPLICATION_MODE, problems);
        }
        if (!masterSlave) {
            return ClusteringMode.RAW;
        }
        ClusteringMode mode = switch (s.get(MASTER_SLAVE_SUB_MODE).toLowerCase(Locale.ROOT)) {
            case "stream" -> ClusteringMode.STREAMING_REPLICATION;
            case "logical" -> ClusteringMode.LOGICAL_REPLICATION;
            default -> ClusteringMode.SLONY;
        };
        Param<?> decidedBy = s.isSet(MASTER_SLAVE_SUB_MODE) ? MASTER_SLAVE_SUB_MODE : MASTER_SLAVE_MODE;
        return checkSupported(mode, s, decidedBy, problems);
    }

    private static ClusteringMode checkSupported(ClusteringMode mode, Settings s, Param<?> decidedBy,
            Problems problems) {
        if (!mode.supported()) {
            String supported = Arrays.stream(ClusteringMode.values()).filter(ClusteringMode::supported)
                    .map(ClusteringMode::configName).collect(Collectors.joining(", "));
            String message = "clustering mode " + mode.configName() + " is not supported by vxpool (supported: "
                    + supported + ")";
            s.setting(decidedBy).ifPresentOrElse(set -> problems.error(set.entry(), message),
                    () -> problems.error(decidedBy.name(), message));
        }
        return mode;
    }
}
