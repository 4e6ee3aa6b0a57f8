package dev.kiln.gateway.adapter.rest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The gateway as a farm runs it: tokens required, a first admin token, a workers' secret. */
public class AuthEnabledProfile implements QuarkusTestProfile {
  static final String BOOTSTRAP_FILE = "target/auth-test/admin-token";
  static final String INTERNAL_TOKEN = "workers-secret-for-tests";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "kiln.gateway.auth.enabled", "true",
        "kiln.gateway.auth.bootstrap-token-file", BOOTSTRAP_FILE,
        "kiln.gateway.auth.internal-token", INTERNAL_TOKEN);
  }
}
