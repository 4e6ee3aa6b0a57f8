package dev.kiln.gateway.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.gateway.app.BuildService;
import java.util.List;

/**
 * One page of builds, newest first.
 *
 * @param next pass it as {@code cursor} to get the following page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildListView(List<BuildView> builds, String next) {
  static BuildListView of(BuildService.BuildPage page) {
    return new BuildListView(page.builds().stream().map(BuildView::of).toList(), page.next());
  }
}
