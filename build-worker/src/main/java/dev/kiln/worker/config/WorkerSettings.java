package dev.kiln.worker.config;

import dev.kiln.worker.adapter.buildah.Isolation;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the build worker; each is also documented in the module README. */
@ConfigMapping(prefix = "kiln.worker")
public interface WorkerSettings {
  /** This worker's id, unique in the farm; the host name and a short random suffix when unset. */
  Optional<String> id();

  /** How many builds the worker runs at once. */
  @WithDefault("2")
  int slots();

  /**
   * The folder for the image store (the layer cache), run state, workspaces and registries.conf.
   */
  @WithDefault(".kiln/worker")
  String dataDir();

  /** The gateway's base URL, for downloading contexts and storing image archives. */
  @WithDefault("http://localhost:8080")
  URI gatewayUrl();

  /**
   * The secret sent as {@code Authorization: Bearer …} to the gateway's internal API: the gateway's
   * {@code kiln.gateway.auth.internal-token}. None when the gateway does not ask for one.
   */
  Optional<String> gatewayToken();

  /** How RUN steps are isolated: oci (own network, enforced limits) or chroot. */
  @WithDefault("oci")
  Isolation isolation();

  /** The OCI runtime buildah uses with oci isolation. */
  @WithDefault("runc")
  String runtime();

  /** buildah's storage driver. */
  @WithDefault("overlay")
  String storageDriver();

  /** Registries (host[:port]) reached over plain HTTP when pulling and pushing; none when unset. */
  Optional<List<String>> insecureRegistries();

  /** How often the worker tells the scheduler it is alive. */
  @WithDefault("5s")
  Duration heartbeatInterval();

  /** Labels a build may require of its worker, such as {@code gpu=true}; none when unset. */
  Map<String, String> labels();

  /** The buildah binary. */
  @WithDefault("buildah")
  String buildah();

  /** The skopeo binary, used to read back the manifest of a pushed or archived image. */
  @WithDefault("skopeo")
  String skopeo();

  /** Log lines per published chunk at most. */
  @WithDefault("500")
  int logBatchLines();

  /** Bytes of log text per published chunk at most. */
  @WithDefault("256K")
  MemorySize logBatchBytes();

  /** The longest a log line waits for more lines before its chunk is published. */
  @WithDefault("50ms")
  Duration logLinger();

  /** How long a cancelled build's processes get between SIGTERM and SIGKILL. */
  @WithDefault("5s")
  Duration cancelGrace();

  /**
   * The most bytes of uploaded contexts kept unpacked, so a context built again is linked from disk
   * instead of downloaded; 0 keeps none.
   */
  @WithDefault("2G")
  MemorySize contextCacheSize();

  /** The longest log line published; a longer one is cut and marked. */
  @WithDefault("64K")
  MemorySize maxLineBytes();

  /** The most log text published per build attempt; past it one marker line, then none. */
  @WithDefault("100M")
  MemorySize maxLogBytes();

  /**
   * The size past which the worker prunes its image store after a build, least recently used images
   * first; no pruning when unset.
   */
  Optional<MemorySize> storageMaxSize();

  /**
   * A repository ({@code host[:port]/path}) for {@code --cache-to/--cache-from}, shared by every
   * worker so one reuses the layers another built; none when unset.
   */
  Optional<String> cacheRepository();

  /** A Docker {@code config.json} whose {@code auths} the worker pulls and pushes with. */
  Optional<String> registryAuthFile();

  /** Credentials by registry {@code host[:port]}, each {@code user:password}; over the file's. */
  Map<String, String> registryCredentials();

  /**
   * Registry mirrors, each {@code registry=mirror[/path]} such as {@code docker.io=127.0.0.1:5000};
   * none when unset.
   */
  Optional<List<String>> registryMirrors();

  /**
   * Glob patterns of the images builds may use (FROM, {@code COPY --from}, {@code RUN --mount
   * from}), checked before buildah runs as the gateway's {@code kiln.gateway.allowed-base-images}
   * are: {@code *} within a path part, {@code **} across parts, {@code ?} one character; every
   * image is allowed when unset.
   */
  Optional<List<String>> allowedBaseImages();

  /** Git sources. */
  Git git();

  /** How the worker fetches git sources. */
  interface Git {
    /** Whether {@code file://} URLs and local paths may be built (for tests and local farms). */
    @WithDefault("false")
    boolean allowFileUrls();

    /** HTTPS credentials by host: a token, or {@code user:token}. */
    Map<String, String> tokens();
  }
}
