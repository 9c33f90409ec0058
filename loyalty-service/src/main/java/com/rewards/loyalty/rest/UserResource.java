package com.rewards.loyalty.rest;

import com.rewards.loyalty.service.HistoryService;
import com.rewards.loyalty.service.UserInfoService;
import com.rewards.platform.error.ApiException;
import com.rewards.platform.rest.Data;
import com.rewards.platform.security.Caller;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Document 000's {@code user/...} reads. The user's own histories (user token), and what the
 * partner's server reads about its users (server token). Reads answer GET; POST is accepted too,
 * with the same query parameters, for clients that post every call.
 */
@Path("/user")
public class UserResource {
  static final int HISTORY_DEFAULT = 20;
  static final int INFOS_DEFAULT = 100;
  static final int RANKING_DEFAULT = 10;
  static final int RANKING_MAX = 100;

  /** Entries per {@code incrementalinfos} call; the feed pages past it with has_more. */
  static final int CHANGES_MAX = 1000;

  private final HistoryService history;
  private final UserInfoService users;
  private final SecurityIdentity identity;
  private final int pageMax;
  private final int infosPageMax;

  public UserResource(
      HistoryService history,
      UserInfoService users,
      SecurityIdentity identity,
      @ConfigProperty(name = "rewards.loyalty.page-max") int pageMax,
      @ConfigProperty(name = "rewards.loyalty.infos-page-max") int infosPageMax) {
    this.history = history;
    this.users = users;
    this.identity = identity;
    this.pageMax = pageMax;
    this.infosPageMax = infosPageMax;
  }

  /** The caller's credits (earns, refunds, positive adjustments), newest first. */
  @GET
  @Path("historyearns")
  @RolesAllowed(Roles.USER)
  public Uni<Data<HistoryService.Page<HistoryService.EarnItem>>> historyEarns(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    Caller caller = Callers.of(identity);
    return history
        .earns(
            caller.clientId(),
            caller.userId(),
            cursor(cursor),
            limit(limit, HISTORY_DEFAULT, pageMax))
        .map(Data::of);
  }

  @POST
  @Path("historyearns")
  @RolesAllowed(Roles.USER)
  public Uni<Data<HistoryService.Page<HistoryService.EarnItem>>> historyEarnsByPost(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return historyEarns(limit, cursor);
  }

  /** The gifts the caller bought, newest first, with their state. */
  @GET
  @Path("historyburns")
  @RolesAllowed(Roles.USER)
  public Uni<Data<HistoryService.Page<HistoryService.BurnItem>>> historyBurns(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    Caller caller = Callers.of(identity);
    return history
        .burns(
            caller.clientId(),
            caller.userId(),
            cursor(cursor),
            limit(limit, HISTORY_DEFAULT, pageMax))
        .map(Data::of);
  }

  @POST
  @Path("historyburns")
  @RolesAllowed(Roles.USER)
  public Uni<Data<HistoryService.Page<HistoryService.BurnItem>>> historyBurnsByPost(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return historyBurns(limit, cursor);
  }

  @GET
  @Path("info")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.UserInfo>> info(
      @QueryParam("user_id") @NotBlank @Pattern(regexp = GenerosityResource.USER_ID_PATTERN)
          String userId) {
    return users.info(Callers.of(identity).clientId(), userId).map(Data::of);
  }

  @POST
  @Path("info")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.UserInfo>> infoByPost(
      @QueryParam("user_id") @NotBlank @Pattern(regexp = GenerosityResource.USER_ID_PATTERN)
          String userId) {
    return info(userId);
  }

  /** The partner's users in user-id order. */
  @GET
  @Path("infos")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.UserPage>> infos(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return users
        .infos(
            Callers.of(identity).clientId(),
            cursor(cursor),
            limit(limit, Math.min(INFOS_DEFAULT, infosPageMax), infosPageMax))
        .map(Data::of);
  }

  @POST
  @Path("infos")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.UserPage>> infosByPost(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return infos(limit, cursor);
  }

  /**
   * Every ledger change since the cursor, grouped by user. Keep {@code next_cursor} and pass it
   * back: it never skips a change, even one whose transaction commits after this call.
   */
  @GET
  @Path("incrementalinfos")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.Changes>> incrementalInfos(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return users
        .changes(
            Callers.of(identity).clientId(), cursor(cursor), limit(limit, CHANGES_MAX, CHANGES_MAX))
        .map(Data::of);
  }

  @POST
  @Path("incrementalinfos")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.Changes>> incrementalInfosByPost(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return incrementalInfos(cursor, limit);
  }

  /** The leaderboard by points earned in a UTC calendar period, and the asked user's own rank. */
  @GET
  @Path("ranking")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.Ranking>> ranking(
      @QueryParam("period") String period,
      @QueryParam("limit") String limit,
      @QueryParam("user_id") @Pattern(regexp = GenerosityResource.USER_ID_PATTERN) String userId) {
    return users
        .ranking(
            Callers.of(identity).clientId(),
            period == null || period.isBlank() ? "month" : period,
            limit(limit, RANKING_DEFAULT, RANKING_MAX),
            userId,
            Instant.now())
        .map(Data::of);
  }

  @POST
  @Path("ranking")
  @RolesAllowed(Roles.SERVER)
  public Uni<Data<UserInfoService.Ranking>> rankingByPost(
      @QueryParam("period") String period,
      @QueryParam("limit") String limit,
      @QueryParam("user_id") @Pattern(regexp = GenerosityResource.USER_ID_PATTERN) String userId) {
    return ranking(period, limit, userId);
  }

  /**
   * {@code ?limit=}: absent means {@code fallback}, more than {@code max} is cut to {@code max},
   * anything not a whole number of at least 1 is a 400.
   */
  static int limit(String raw, int fallback, int max) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    if (!raw.trim().matches("^[0-9]{1,18}$")) {
      throw ApiException.badRequest("limit must be a whole number of at least 1.");
    }
    long n = Long.parseLong(raw.trim());
    if (n < 1) {
      throw ApiException.badRequest("limit must be a whole number of at least 1.");
    }
    return (int) Math.min(n, max);
  }

  /** An empty {@code ?cursor=} is the first page, like an absent one. */
  static String cursor(String raw) {
    return raw == null || raw.isBlank() ? null : raw.trim();
  }
}
