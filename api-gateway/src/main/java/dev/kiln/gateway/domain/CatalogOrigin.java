package dev.kiln.gateway.domain;

/**
 * The catalog entry a build was made from.
 *
 * @param name the custom image's name
 * @param commit the catalog commit whose files were built
 */
public record CatalogOrigin(String name, String commit) {}
