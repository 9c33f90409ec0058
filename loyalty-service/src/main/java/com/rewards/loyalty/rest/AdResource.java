package com.rewards.loyalty.rest;

import com.rewards.loyalty.service.CatalogService;
import com.rewards.platform.rest.Data;
import com.rewards.platform.security.Callers;
import com.rewards.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.Instant;
import java.util.List;

/** Document 000's ads: the caller's partner's bonus, specials and news live now, by position. */
@Path("/ad")
@RolesAllowed(Roles.USER)
public class AdResource {
  private final CatalogService catalog;
  private final SecurityIdentity identity;

  public record AdList(List<CatalogService.AdView> ads) {}

  public AdResource(CatalogService catalog, SecurityIdentity identity) {
    this.catalog = catalog;
    this.identity = identity;
  }

  @GET
  @Path("bonus")
  public Uni<Data<AdList>> bonus() {
    return live("bonus");
  }

  @POST
  @Path("bonus")
  public Uni<Data<AdList>> bonusByPost() {
    return live("bonus");
  }

  @GET
  @Path("specials")
  public Uni<Data<AdList>> specials() {
    return live("specials");
  }

  @POST
  @Path("specials")
  public Uni<Data<AdList>> specialsByPost() {
    return live("specials");
  }

  @GET
  @Path("news")
  public Uni<Data<AdList>> news() {
    return live("news");
  }

  @POST
  @Path("news")
  public Uni<Data<AdList>> newsByPost() {
    return live("news");
  }

  private Uni<Data<AdList>> live(String kind) {
    return catalog
        .liveAds(Callers.of(identity).clientId(), kind, Instant.now())
        .map(ads -> Data.of(new AdList(ads)));
  }
}
