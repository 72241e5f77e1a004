package org.vxpool.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "pxpg.hold", matches = "\\d+")
class ScratchHoldTest {
    @Test
    void hold() throws Exception {
        int pg = Integer.getInteger("pxpg.port");
        try (ProxyFixture f = ProxyFixture.start(ProxyFixture.view(1, List.of(), "127.0.0.1", pg), s -> s.withNumInitChildren(100), 2)) {
            Files.writeString(Path.of("/tmp/pxpg/proxyport"), String.valueOf(f.port));
            Thread.sleep(Integer.getInteger("pxpg.hold") * 1000L);
            System.out.println(f.stats().encodePrettily());
        }
    }
}
