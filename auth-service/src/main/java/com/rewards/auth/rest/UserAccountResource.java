package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.rewards.auth.service.UserService;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Document 002's user routes ({@code /api/users/*} except payment, otp and providers). */
@Path("/api/users")
public class UserAccountResource {
  static final String USERNAME_PATTERN = "^[A-Za-z0-9._-]{3,32}$";
  private static final int MAX_INFO_CHARS = 4096;

  private final UserService users;
  private final SecurityIdentity identity;

  public record LoggedUser(UserView user) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record UpdateRequest(
      @Pattern(regexp = USERNAME_PATTERN) String username,
      @Email @Size(max = 254) String email,
      @Size(max = 128) String oldPassword,
      @Size(min = 8, max = 128) String newPassword,
      JsonNode info) {}

  /** What anyone of the same partner may see; the email only for the user itself or the server. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PublicUser(String id, String username, String email) {}

  public UserAccountResource(UserService users, SecurityIdentity identity) {
    this.users = users;
    this.identity = identity;
  }

  @GET
  @Path("isLogged")
  @RolesAllowed(Roles.USER)
  public Uni<LoggedUser> isLogged() {
    return users.current(Callers.of(identity)).map(u -> new LoggedUser(UserView.of(u)));
  }

  /** 403 {@code USER_ON_HOLD} while another service holds the user. */
  @DELETE
  @Path("delete")
  @RolesAllowed(Roles.USER)
  public Uni<UserView> delete() {
    return users.delete(Callers.of(identity)).map(UserView::of);
  }

  @GET
  @Path("show/{id}")
  @RolesAllowed({Roles.USER, Roles.SERVER})
  public Uni<PublicUser> show(@PathParam("id") String id) {
    Caller caller = Callers.of(identity);
    if (id.isBlank()) {
      throw ApiException.badRequest("A user id is required.");
    }
    return users
        .show(caller, id)
        .map(
            u ->
                new PublicUser(
                    u.externalId,
                    u.username,
                    caller.kind() == Caller.Kind.SERVER || u.externalId.equals(caller.userId())
                        ? u.email
                        : null));
  }

  /** Document 002 answers 400 when no id is given. */
  @GET
  @Path("show")
  @RolesAllowed({Roles.USER, Roles.SERVER})
  public PublicUser showWithoutId() {
    throw ApiException.badRequest("A user id is required.");
  }

  @POST
  @Path("update")
  @RolesAllowed(Roles.USER)
  public Uni<UserView> update(@Valid @NotNull UpdateRequest request) {
    String info = null;
    if (request.info() != null) {
      if (!request.info().isObject()) {
        throw ApiException.badRequest("info must be a JSON object.");
      }
      info = request.info().toString();
      if (info.length() > MAX_INFO_CHARS) {
        throw ApiException.badRequest("info is larger than " + MAX_INFO_CHARS + " characters.");
      }
    }
    return users
        .update(
            Callers.of(identity),
            new UserService.ProfileChange(
                request.username(),
                request.email(),
                request.oldPassword(),
                request.newPassword(),
                info))
        .map(UserView::of);
  }
}
