package dev.kiln.gateway.config;

import dev.kiln.gateway.app.catalog.CatalogService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Seeds a new catalog with the templates shipped under {@code catalog-templates/}, listed one file
 * a line in its {@code index.txt}.
 */
public class CatalogStartup {
  private static final Logger LOG = Logger.getLogger(CatalogStartup.class);
  private static final String ROOT = "catalog-templates/";

  void seed(@Observes StartupEvent start, CatalogService catalog, GatewayConfig config) {
    if (!config.catalog().seedTemplates()) {
      return;
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String path : resource("index.txt").lines().map(String::strip).toList()) {
      if (!path.isEmpty()) {
        files.put("templates/" + path, bytes(path));
      }
    }
    if (catalog.seed(files)) {
      LOG.infof("catalog seeded with %d template files", files.size());
    }
  }

  private static String resource(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String path) {
    try (InputStream in =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(ROOT + path)) {
      if (in == null) {
        throw new IllegalStateException("template file " + ROOT + path + " is not shipped");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
