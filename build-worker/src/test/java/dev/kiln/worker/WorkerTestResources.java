package dev.kiln.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.testing.KilnInfrastructure;
import dev.kiln.testing.LocalRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Everything the worker meets in a farm, for one test run: the shared Kafka broker, a real registry
 * holding a busybox base image (also as {@code library/busybox:1}, so it mirrors Docker Hub's
 * {@code busybox:1}, and as {@code library/alpine:3}, so Docker Hub's {@code alpine:3} would build
 * through the mirror too), a second registry that answers only to the user the worker is given
 * credentials for, and a JDK HTTP server standing in for the gateway's internal endpoints. The
 * worker allows the images of both registries and Docker Hub's busybox, not its alpine ({@code
 * kiln.worker.allowed-base-images}). The stand-in serves {@code <gateway-dir>/contexts/<digest>}
 * and stores uploaded archives as {@code <gateway-dir>/archives/<build id>}; tests reach it through
 * that folder, which is handed to them as the setting {@code kiln.test.gateway-dir}.
 */
public class WorkerTestResources implements QuarkusTestResourceLifecycleManager {
  /** The user of the registry with a login, and its password, which must never be published. */
  static final String REGISTRY_USER = "kiln";

  static final String REGISTRY_PASSWORD = "kiln-it-password";
  private static final String HTPASSWD =
      REGISTRY_USER + ":$2b$04$kZMwcVMkKHpBFDaFMFiG4.WppGWqQr4bhq6iUPKftYV5GELLFB1zK";

  private Path root;
  private LocalRegistry registry;
  private LocalRegistry privateRegistry;
  private HttpServer gateway;

  @Override
  public Map<String, String> start() {
    try {
      root = Files.createTempDirectory("kiln-worker-it");
      registry = LocalRegistry.start();
      privateRegistry = LocalRegistry.startWithLogin(HTPASSWD);
      Path gatewayDir = Files.createDirectories(root.resolve("gateway"));
      Files.createDirectories(gatewayDir.resolve("contexts"));
      Files.createDirectories(gatewayDir.resolve("archives"));
      gateway = startGateway(gatewayDir);
      pushBaseImage(
          root.resolve("base"),
          List.of(
              "docker://" + registry.host() + "/base/busybox:1",
              "docker://" + registry.host() + "/library/busybox:1",
              "docker://" + registry.host() + "/library/alpine:3"),
          List.of("docker://" + privateRegistry.host() + "/private/busybox:1"));
      Map<String, String> config = new LinkedHashMap<>();
      config.put("kafka.bootstrap.servers", KilnInfrastructure.broker().bootstrapServers());
      config.put("kiln.worker.id", "it-worker-" + UUID.randomUUID().toString().substring(0, 8));
      config.put("kiln.worker.data-dir", root.resolve("worker").toString());
      config.put("kiln.worker.gateway-url", "http://127.0.0.1:" + gateway.getAddress().getPort());
      config.put("kiln.worker.insecure-registries", registry.host() + "," + privateRegistry.host());
      config.put("kiln.worker.registry-mirrors", "docker.io=" + registry.host());
      config.put(
          "kiln.worker.allowed-base-images",
          registry.host() + "/**," + privateRegistry.host() + "/**,docker.io/library/busybox:*");
      config.put(
          "kiln.worker.registry-credentials.\"" + privateRegistry.host() + "\"",
          REGISTRY_USER + ":" + REGISTRY_PASSWORD);
      config.put("kiln.worker.git.allow-file-urls", "true");
      config.put("kiln.worker.cancel-grace", "2s");
      config.put("kiln.test.gateway-dir", gatewayDir.toString());
      config.put("kiln.test.registry", registry.host());
      config.put("kiln.test.private-registry", privateRegistry.host());
      config.put("kiln.test.root", root.toString());
      return config;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot prepare the worker's test farm", e);
    }
  }

  @Override
  public void stop() {
    if (gateway != null) {
      gateway.stop(0);
    }
    if (registry != null) {
      registry.close();
    }
    if (privateRegistry != null) {
      privateRegistry.close();
    }
    if (root != null) {
      try (Stream<Path> tree = Files.walk(root)) {
        tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        // A temporary folder; the system cleans what is left.
      }
    }
  }

  private static HttpServer startGateway(Path dir) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/internal/v1/contexts/",
        exchange -> {
          String digest = last(exchange);
          Path context = dir.resolve("contexts").resolve(digest);
          if (!Files.isRegularFile(context)) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, Files.size(context));
            try (OutputStream out = exchange.getResponseBody()) {
              Files.copy(context, out);
            }
          }
          exchange.close();
        });
    server.createContext(
        "/internal/v1/builds/",
        exchange -> {
          String[] parts = exchange.getRequestURI().getPath().split("/");
          Path archive = dir.resolve("archives").resolve(parts[parts.length - 2]);
          try (InputStream in = exchange.getRequestBody()) {
            Files.copy(in, archive);
          }
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static String last(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * A busybox image for builds whose Dockerfile comes without a context, pushed to the open
   * destinations and, with the login, to the private ones.
   */
  private static void pushBaseImage(Path dir, List<String> open, List<String> withLogin)
      throws IOException, InterruptedException {
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n");
    List<String> storage =
        List.of(
            "buildah",
            "--root",
            dir.resolve("storage").toString(),
            "--runroot",
            dir.resolve("runroot").toString(),
            "--storage-driver",
            "overlay");
    Path iid = dir.resolve("iid");
    run(
        concat(
            storage,
            List.of(
                "build",
                "--isolation",
                "chroot",
                "--iidfile",
                iid.toString(),
                context.toString())));
    String image = Files.readString(iid).strip().substring("sha256:".length());
    for (String destination : open) {
      run(concat(storage, List.of("push", "--tls-verify=false", image, destination)));
    }
    for (String destination : withLogin) {
      run(
          concat(
              storage,
              List.of(
                  "push",
                  "--tls-verify=false",
                  "--creds",
                  REGISTRY_USER + ":" + REGISTRY_PASSWORD,
                  image,
                  destination)));
    }
    run(concat(storage, List.of("rmi", "--all", "--force")));
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
