package dev.kiln.gateway.adapter.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/**
 * Serves the web UI's page for its own paths ({@code /}, {@code /builds/…}): the UI routes in the
 * browser, so a reload or a shared link of any of its pages must get the same page. The UI's
 * scripts and styles are static resources under {@code META-INF/resources}; paths under {@code
 * /api}, {@code /internal} and {@code /q}, and paths that name a file, are never answered here.
 */
@ApplicationScoped
public class WebUiRoutes {
  private static final Logger LOG = Logger.getLogger(WebUiRoutes.class);
  private static final String INDEX = "META-INF/resources/index.html";

  /** Any path outside the API, the services' calls and /q whose last segment has no extension. */
  static final String UI_PATH = "^/(?!(?:api|internal|q)(?:/|$))(?:[^.]*|.*/[^/.]*)$";

  void install(@Observes Router router) {
    Buffer page = indexPage();
    if (page == null) {
      LOG.infof(
          "%s is not on the class path: the web UI was not built, only the API is served", INDEX);
      return;
    }
    // Before Quarkus REST, which answers every path it does not serve with its own 404; the
    // pattern leaves it all it serves (the API, the workers' calls) and the files to Quarkus.
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
      router
          .routeWithRegex(method, UI_PATH)
          .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
          .handler(rc -> send(rc, page));
    }
  }

  private static void send(RoutingContext rc, Buffer page) {
    // Never cached: the page names the hashed script of the version being served.
    rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(rc.request().method() == HttpMethod.HEAD ? Buffer.buffer() : page);
  }

  private static Buffer indexPage() {
    try (InputStream in = WebUiRoutes.class.getClassLoader().getResourceAsStream(INDEX)) {
      return in == null ? null : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + INDEX, e);
    }
  }
}
