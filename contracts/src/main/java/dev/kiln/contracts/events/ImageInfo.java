package dev.kiln.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.contracts.Digest;
import java.util.List;

/**
 * The image a build made.
 *
 * @param digest the manifest digest
 * @param imageId the config digest buildah calls the image id
 * @param pushedRefs the references it was pushed to, empty when not pushed
 * @param size total bytes of its compressed layers
 * @param layers its layers, base first
 * @param archived whether an OCI archive of it is kept for download
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageInfo(
    Digest digest,
    Digest imageId,
    List<String> pushedRefs,
    long size,
    List<LayerInfo> layers,
    boolean archived) {
  public ImageInfo {
    pushedRefs = pushedRefs == null ? List.of() : List.copyOf(pushedRefs);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }
}
