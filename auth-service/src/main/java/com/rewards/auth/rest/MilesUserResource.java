package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.rewards.auth.service.TokenIssuer;
import com.rewards.auth.service.UserService;
import com.rewards.platform.rest.Data;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;

/** Document 000's user paths that belong to identity (the rest of 000 is loyalty-service). */
@Path("/user")
public class MilesUserResource {
  /** The partner app's own user id; the namespacing separator "___" is reserved. */
  static final String USER_ID_PATTERN = "^(?!.*___)[A-Za-z0-9._:@+|-]{1,128}$";

  private final UserService users;
  private final TokenIssuer issuer;
  private final SecurityIdentity identity;

  public record ClientCheckCredentialsRequest(
      @JsonAlias("client_id") @NotBlank @Size(max = 64) String clientId,
      @JsonAlias("user_id") @NotBlank @Pattern(regexp = USER_ID_PATTERN) String userId,
      @Email @Size(max = 254) String email,
      @Pattern(regexp = UserAccountResource.USERNAME_PATTERN) String username,
      @JsonAlias("first_name") @Size(max = 100) String firstName,
      @JsonAlias("last_name") @Size(max = 100) String lastName,
      @Pattern(regexp = OtpResource.PHONE_PATTERN) String phone) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SignedInUser(
      String id,
      String userToken,
      long expiresIn,
      boolean created,
      String email,
      String username,
      String firstName,
      String lastName) {}

  public record SignedIn(SignedInUser user) {}

  public record LoggedOut(boolean loggedOut, String tokensValidAfter) {}

  public record Deleted(boolean deleted, String userId) {}

  public record MultiDeleteRequest(
      @JsonAlias("user_ids") @NotEmpty @Size(max = 100)
          List<@NotBlank @Pattern(regexp = USER_ID_PATTERN) String> userIds) {}

  public record MultiDeleteResult(String userId, String status) {}

  public record MultiDeleted(List<MultiDeleteResult> results) {}

  public MilesUserResource(UserService users, TokenIssuer issuer, SecurityIdentity identity) {
    this.users = users;
    this.issuer = issuer;
    this.identity = identity;
  }

  /** Open: connects the user of a partner's app, creating it if new; the token is the answer. */
  @POST
  @Path("clientcheckcredentials")
  @PermitAll
  public Uni<Data<SignedIn>> clientCheckCredentials(
      @Valid @NotNull ClientCheckCredentialsRequest request) {
    return users
        .signIn(
            new UserService.SignIn(
                request.clientId(),
                request.userId(),
                request.email(),
                request.username(),
                request.firstName(),
                request.lastName(),
                request.phone()))
        .chain(
            signedIn ->
                issuer
                    .userToken(
                        signedIn.clientId(),
                        signedIn.user().externalId,
                        signedIn.user().tokensValidAfter)
                    .map(
                        token ->
                            Data.of(
                                new SignedIn(
                                    new SignedInUser(
                                        signedIn.user().externalId,
                                        token.token(),
                                        token.expiresIn(),
                                        signedIn.created(),
                                        signedIn.user().email,
                                        signedIn.user().username,
                                        signedIn.user().firstName,
                                        signedIn.user().lastName)))));
  }

  /** Logout on all devices. */
  @POST
  @Path("logout")
  @RolesAllowed(Roles.USER)
  public Uni<Data<LoggedOut>> logout() {
    return users
        .logout(Callers.of(identity))
        .map(at -> Data.of(new LoggedOut(true, at.toString())));
  }

  /** Deletes the calling user and everything of theirs (other services follow the event). */
  @POST
  @Path("delete")
  @RolesAllowed(Roles.USER)
  public Uni<Data<Deleted>> delete() {
    return users
        .delete(Callers.of(identity))
        .map(user -> Data.of(new Deleted(true, user.externalId)));
  }

  /** Partner server: deletes many users, with one result per id. */
  @POST
  @Path("multidelete")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<MultiDeleted>> multiDelete(@Valid @NotNull MultiDeleteRequest request) {
    return users
        .deleteMany(Callers.of(identity).clientId(), request.userIds().stream().distinct().toList())
        .map(
            results ->
                Data.of(
                    new MultiDeleted(
                        results.stream()
                            .map(
                                r ->
                                    new MultiDeleteResult(
                                        r.userId(), r.outcome().name().toLowerCase()))
                            .toList())));
  }
}
