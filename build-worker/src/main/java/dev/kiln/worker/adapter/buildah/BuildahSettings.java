package dev.kiln.worker.adapter.buildah;

import dev.kiln.contracts.ImageRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How this worker runs buildah and skopeo.
 *
 * @param buildah the buildah binary
 * @param skopeo the skopeo binary, used to read the manifests of pushed and archived images
 * @param storage buildah's image store ({@code --root}); its layers are the worker's build cache
 * @param runroot buildah's run state ({@code --runroot})
 * @param storageDriver the storage driver, such as {@code overlay}
 * @param isolation how RUN steps are isolated
 * @param runtime the OCI runtime used with {@link Isolation#OCI}
 * @param insecureRegistries registries ({@code host[:port]}) reached over plain HTTP
 * @param registriesConf the {@code registries.conf} every buildah and skopeo process reads
 * @param tmpDir where buildah and skopeo put large temporary files
 * @param cancelGrace how long a stopped process tree gets between SIGTERM and SIGKILL
 * @param cacheRepository the repository ({@code host[:port]/path}) that layers are pushed to and
 *     pulled from with {@code --cache-to/--cache-from}, shared by every worker; {@code null} for
 *     none
 * @param authFile the registry credentials ({@code auth.json}) buildah and skopeo log in with;
 *     {@code null} for none
 * @param storageMaxBytes the size past which the image store is pruned, or 0 for no limit
 */
public record BuildahSettings(
    String buildah,
    String skopeo,
    Path storage,
    Path runroot,
    String storageDriver,
    Isolation isolation,
    String runtime,
    Set<String> insecureRegistries,
    Path registriesConf,
    Path tmpDir,
    Duration cancelGrace,
    String cacheRepository,
    Path authFile,
    long storageMaxBytes) {
  public BuildahSettings {
    insecureRegistries =
        insecureRegistries.stream()
            .map(host -> host.strip().toLowerCase(Locale.ROOT))
            .filter(host -> !host.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether {@code ref}'s registry is one to reach without TLS. */
  public boolean isInsecure(ImageRef ref) {
    return insecureRegistries.contains(ref.registry().toLowerCase(Locale.ROOT));
  }
}
