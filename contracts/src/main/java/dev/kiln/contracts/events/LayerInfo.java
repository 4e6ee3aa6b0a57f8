package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.contracts.Digest;

/**
 * One layer of a built image.
 *
 * @param digest the layer blob's digest
 * @param size its size in bytes
 * @param instruction the Dockerfile instruction that made it, when known
 * @param line that instruction's line in the Dockerfile, when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerInfo(Digest digest, long size, String instruction, Integer line) {}
