package com.rewards.auth.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.rewards.auth.service.StoreRedirectService;
import com.rewards.auth.service.UserService;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Document 003's user endpoints; the token may come in {@code user-jwt-token}. */
@Path("/fe/users")
@RolesAllowed(Roles.USER)
public class KgenUserResource {
  private final UserService users;
  private final StoreRedirectService store;
  private final SecurityIdentity identity;

  /** The field names of document 003's example response. */
  public record LinkedMobileNumber(
      @JsonProperty("UserID") String userId,
      @JsonProperty("NameSpacedThirdPartyUserID") String namespacedUserId,
      @JsonProperty("WalletAddress") String walletAddress,
      @JsonProperty("IndiggWalletAddress") String indiggWalletAddress,
      @JsonProperty("LinkedPhone") String linkedPhone,
      @JsonProperty("KGenID") String kgenId) {}

  public record RedirectUri(String url) {}

  public KgenUserResource(
      UserService users, StoreRedirectService store, SecurityIdentity identity) {
    this.users = users;
    this.store = store;
    this.identity = identity;
  }

  /**
   * 404 {@code RECORD_NOT_FOUND} when no phone is linked (document 003 says 500; 404 is honest).
   */
  @GET
  @Path("account/linked-mobile-number")
  public Uni<LinkedMobileNumber> linkedMobileNumber() {
    Caller caller = Callers.of(identity);
    return users
        .current(caller)
        .map(
            user -> {
              if (user.phone == null) {
                throw ApiException.notFound("No mobile number is linked to this user.");
              }
              return new LinkedMobileNumber(
                  user.externalId,
                  caller.namespacedUserId(),
                  "",
                  "",
                  user.phone,
                  user.id.toString());
            });
  }

  @POST
  @Path("k-store/generate-redirect-uri")
  public Uni<RedirectUri> generateRedirectUri() {
    return store.redirectUrl(Callers.of(identity)).map(RedirectUri::new);
  }
}
