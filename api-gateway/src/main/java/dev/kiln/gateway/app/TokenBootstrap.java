package dev.kiln.gateway.app;

import dev.kiln.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gives a new farm its first admin token: when {@code kiln.gateway.auth.bootstrap-token-file} is
 * set and no valid admin token exists, one is made at start and its secret written to that file,
 * readable by its owner only. {@code kiln up} reads it from there, once.
 */
@ApplicationScoped
public class TokenBootstrap {
  static final String ADMIN = "admin";
  private static final Logger LOG = Logger.getLogger(TokenBootstrap.class);

  private final TokenService tokens;
  private final GatewayConfig.Auth config;

  public TokenBootstrap(TokenService tokens, GatewayConfig config) {
    this.tokens = tokens;
    this.config = config.auth();
  }

  void onStart(@Observes StartupEvent start) {
    Optional<Path> file = config.bootstrapTokenFile();
    if (!config.enabled() || file.isEmpty()) {
      return;
    }
    Optional<TokenService.IssuedToken> issued = tokens.bootstrapAdmin(ADMIN);
    if (issued.isEmpty()) {
      LOG.debugf("an admin token exists; %s is left as it is", file.get());
      return;
    }
    write(file.get(), issued.get().secret());
    LOG.infof(
        "made the first admin token %s; its secret is in %s",
        issued.get().token().id(), file.get());
  }

  private static void write(Path file, String secret) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = Files.createTempFile(parent, ".admin-token", ".tmp");
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(partial, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + file, e);
    }
  }
}
