package dev.kiln.worker.adapter.gateway;

import static dev.kiln.context.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.contracts.Digest;
import dev.kiln.worker.app.Cancellation;
import dev.kiln.worker.app.SourceFetchException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's calls to the gateway's internal API, against a JDK HTTP server in its place. */
class GatewayClientTest {
  @TempDir Path temp;
  private final Map<String, byte[]> contexts = new ConcurrentHashMap<>();
  private final Map<String, byte[]> archives = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private GatewayClient gateway;

  @BeforeEach
  void startGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/internal/v1/contexts/",
        exchange -> {
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          String digest = exchange.getRequestURI().getPath().substring(22);
          byte[] body = contexts.get(digest);
          exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.createContext(
        "/internal/v1/builds/",
        exchange -> {
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          archives.put(
              exchange.getRequestURI().getPath(), exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    gateway =
        new GatewayClient(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            Optional.of("workers-secret"));
  }

  @AfterEach
  void stopGateway() {
    server.stop(0);
  }

  @Test
  void gzippedContextIsUnpackedAndCheckedAgainstItsDigest() throws Exception {
    byte[] upload = tar().file("Dockerfile", "FROM scratch\n").gzipped();
    Digest digest = sha256(upload);
    contexts.put(digest.toString(), upload);
    Path target = Files.createDirectories(temp.resolve("context"));

    long entries = gateway.fetch(digest, target, new Cancellation());

    assertThat(entries).isEqualTo(1);
    assertThat(authorizations).containsExactly("Bearer workers-secret");
    assertThat(Files.readString(target.resolve("Dockerfile"))).isEqualTo("FROM scratch\n");
  }

  @Test
  void contextWhoseBytesDoNotMatchItsDigestIsRefused() throws Exception {
    Digest claimed = sha256("something else".getBytes(StandardCharsets.UTF_8));
    contexts.put(claimed.toString(), tar().file("Dockerfile", "FROM scratch\n").bytes());
    Path target = Files.createDirectories(temp.resolve("context"));

    assertThatThrownBy(() -> gateway.fetch(claimed, target, new Cancellation()))
        .isInstanceOf(SourceFetchException.class)
        .hasMessageContaining("arrived with the content of");
  }

  @Test
  void unknownContextIsReportedAsMissing() throws Exception {
    Digest unknown = sha256("never uploaded".getBytes(StandardCharsets.UTF_8));
    Path target = Files.createDirectories(temp.resolve("context"));

    assertThatThrownBy(() -> gateway.fetch(unknown, target, new Cancellation()))
        .isInstanceOf(SourceFetchException.class)
        .hasMessage("the gateway has no context " + unknown);
  }

  @Test
  void imageArchiveIsUploadedToTheBuildsImage() throws Exception {
    Path archive = Files.write(temp.resolve("image.tar"), tar().file("index.json", "{}").bytes());

    gateway.store("build-1", archive);

    assertThat(authorizations).containsExactly("Bearer workers-secret");
    assertThat(archives.get("/internal/v1/builds/build-1/image"))
        .isEqualTo(Files.readAllBytes(archive));
  }

  private static Digest sha256(byte[] data) throws Exception {
    return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
