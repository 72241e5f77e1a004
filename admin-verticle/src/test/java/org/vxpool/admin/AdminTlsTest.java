package org.vxpool.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vxpool.testkit.FreePorts;

/** admin_ssl: the API over TLS with a PEM certificate and key. */
class AdminTlsTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void healthAnswersOverTlsAndPlainHttpIsNotServed() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        int port = FreePorts.find();
        AdminSettings settings = new AdminSettings(List.of("127.0.0.1"), port, Optional.empty(),
                Optional.of(Path.of(cert.certificatePath())), Optional.of(Path.of(cert.privateKeyPath())),
                Path.of("vxpool.log"), null);
        vertx.deployVerticle(new AdminVerticle(settings, PoolControl.NONE)).await(30, TimeUnit.SECONDS);

        WebClient tls = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        assertThat(tls.get(port, "127.0.0.1", "/health").send().await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        WebClient plain = WebClient.create(vertx);
        assertThatThrownBy(() -> plain.get(port, "127.0.0.1", "/health").send().await(30, TimeUnit.SECONDS))
                .isNotNull();
    }
}
