package dev.kiln.scheduler.adapter.rest;

import dev.kiln.scheduler.adapter.persistence.TransitionRepository;
import dev.kiln.scheduler.adapter.persistence.TransitionRepository.Transition;
import dev.kiln.scheduler.app.Transactor;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The history of a build's moves, read-only, for operators and checks. */
@Path("/api/v1/builds/{id}/transitions")
@Produces(MediaType.APPLICATION_JSON)
public class TransitionsResource {
  private final Transactor transactor;
  private final TransitionRepository history;

  public TransitionsResource(Transactor transactor, TransitionRepository history) {
    this.transactor = transactor;
    this.history = history;
  }

  /** Every move of the build, in the order the scheduler made them. */
  @GET
  public List<Transition> list(@PathParam("id") String id) {
    List<Transition> moves = transactor.inTransaction(connection -> history.of(connection, id));
    if (moves.isEmpty()) {
      throw new NotFoundException("build " + id + " is not known to the scheduler");
    }
    return moves;
  }
}
