package com.rewards.auth.rest;

import com.rewards.auth.service.OtpService;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.idempotency.Idempotency;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

/** Document 002's {@code otp} namespace: prove an email or phone, then it is linked. */
@Path("/api/users/otp")
@RolesAllowed(Roles.USER)
public class OtpResource {
  static final String PHONE_PATTERN = "^\\+?[1-9][0-9]{6,14}$";
  private static final String EMAIL_PATTERN = "^[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{2,63}$";

  private final OtpService otp;
  private final SecurityIdentity identity;

  public record OtpRequest(
      @NotBlank @Pattern(regexp = "^(email|phone)$") String channel,
      @NotBlank @Size(max = 254) String destination) {}

  public record OtpVerification(
      @NotBlank @Pattern(regexp = "^(email|phone)$") String channel,
      @NotBlank @Size(max = 254) String destination,
      @NotBlank @Pattern(regexp = "^[0-9]{6}$") String code) {}

  public OtpResource(OtpService otp, SecurityIdentity identity) {
    this.otp = otp;
    this.identity = identity;
  }

  @POST
  @Path("request")
  public Uni<RestResponse<OtpService.Sent>> request(
      @Valid @NotNull OtpRequest request, @RestHeader(Idempotency.HEADER) String idempotencyKey) {
    checkDestination(request.channel(), request.destination());
    return otp.request(
            Callers.of(identity), request.channel(), request.destination(), idempotencyKey)
        .map(sent -> RestResponse.status(Response.Status.ACCEPTED, sent));
  }

  @POST
  @Path("verify")
  public Uni<UserView> verify(@Valid @NotNull OtpVerification request) {
    checkDestination(request.channel(), request.destination());
    return otp.verify(
            Callers.of(identity), request.channel(), request.destination(), request.code())
        .map(UserView::of);
  }

  private static void checkDestination(String channel, String destination) {
    String pattern = "phone".equals(channel) ? PHONE_PATTERN : EMAIL_PATTERN;
    if (!destination.matches(pattern)) {
      throw ApiException.badRequest("The destination is not a valid " + channel + ".");
    }
  }
}
