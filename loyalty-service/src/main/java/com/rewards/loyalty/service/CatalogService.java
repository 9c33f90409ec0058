package com.rewards.loyalty.service;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.rewards.loyalty.domain.Action;
import com.rewards.loyalty.domain.ActionRepository;
import com.rewards.loyalty.domain.Ad;
import com.rewards.loyalty.domain.AdRepository;
import com.rewards.loyalty.domain.CatalogQueries;
import com.rewards.loyalty.domain.CatalogRules;
import com.rewards.loyalty.domain.Gift;
import com.rewards.loyalty.domain.GiftRepository;
import com.rewards.loyalty.domain.Program;
import com.rewards.loyalty.domain.ProgramRepository;
import com.rewards.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A partner's catalog: its program, the actions users earn with, the gifts they buy and the ads the
 * app shows. Everything is scoped to the calling partner; another partner's id is simply not found.
 * Actions and gifts are deactivated rather than deleted, since the ledger and redemptions keep
 * pointing at them.
 */
@ApplicationScoped
public class CatalogService {
  /** The codes {@code generosity/store} accepts. */
  public static final String ACTION_CODE_PATTERN = "^[A-Za-z0-9._:-]{1,64}$";

  static final String URL_PATTERN = "^https?://\\S+$";
  static final String NOT_BLANK_PATTERN = "^.*\\S.*$";
  private static final String UNIQUE_VIOLATION = "23505";

  private final ProgramRepository programs;
  private final ActionRepository actions;
  private final GiftRepository gifts;
  private final AdRepository ads;
  private final CatalogQueries catalog;
  private final CatalogRules rules;

  /** PUT body of the program: absent optional rules mean their defaults. */
  public record ProgramSettings(
      @NotBlank @Size(max = 200) String name,
      @JsonAlias("points_name") @Size(min = 1, max = 50) @Pattern(regexp = NOT_BLANK_PATTERN)
          String pointsName,
      @JsonAlias("expiry_days") @Min(1) @Max(3650) Integer expiryDays,
      @JsonAlias("pending_days") @Min(0) @Max(365) Integer pendingDays,
      @JsonAlias("daily_points_cap") @Min(1) @Max(1_000_000_000) Long dailyPointsCap) {}

  /** An action's settings; {@code code} is its identity: required to create, fixed after. */
  public record ActionFields(
      @Pattern(regexp = ACTION_CODE_PATTERN) String code,
      @NotBlank @Size(max = 200) String name,
      @Size(max = 2000) String description,
      @NotNull @Min(1) @Max(1_000_000_000) Long points,
      @JsonAlias("max_per_user") @Min(1) Integer maxPerUser,
      @JsonAlias("max_per_user_day") @Min(1) Integer maxPerUserDay,
      @JsonAlias("starts_at") Instant startsAt,
      @JsonAlias("ends_at") Instant endsAt,
      Boolean active) {}

  /**
   * A gift's settings. {@code stock}: a number, or null for unlimited; when absent, unlimited on
   * create and left as it is on update (so an edit never overwrites what buyers have taken).
   */
  public record GiftFields(
      @NotBlank @Size(max = 200) String name,
      @Size(max = 2000) String description,
      @JsonAlias("image_url") @Size(max = 2000) @Pattern(regexp = URL_PATTERN) String imageUrl,
      @NotNull @Min(1) @Max(1_000_000_000) Long cost,
      @Valid StockValue stock,
      @JsonAlias("max_per_user") @Min(1) Integer maxPerUser,
      @JsonAlias("starts_at") Instant startsAt,
      @JsonAlias("ends_at") Instant endsAt,
      Boolean active,
      @Min(0) @Max(1_000_000) Integer position) {}

  /** {@code stock} is required: a number, or null for unlimited. */
  public record StockChange(@NotNull @Valid StockValue stock) {}

  /**
   * A stock a request names: a count, or unlimited ({@code count} null, from a JSON null). A
   * request that does not name the stock at all gets no StockValue (Java null), which is how an
   * update tells "leave it" from "make it unlimited".
   */
  @JsonDeserialize(using = StockValue.Reader.class)
  @Schema(
      type = SchemaType.INTEGER,
      minimum = "0",
      description = "Units left to buy; null = unlimited.")
  public record StockValue(@Min(0) @Max(1_000_000_000) Integer count) {
    static final class Reader extends StdDeserializer<StockValue> {
      Reader() {
        super(StockValue.class);
      }

      @Override
      public StockValue deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
          return (StockValue) ctxt.handleUnexpectedToken(StockValue.class, p);
        }
        return new StockValue(p.getIntValue());
      }

      @Override
      public StockValue getNullValue(DeserializationContext ctxt) {
        return new StockValue(null);
      }

      @Override
      public Object getAbsentValue(DeserializationContext ctxt) {
        return null;
      }
    }
  }

  public record AdFields(
      @NotBlank @Pattern(regexp = "^(bonus|specials|news)$") String kind,
      @NotBlank @Size(max = 200) String title,
      @Size(max = 5000) String body,
      @JsonAlias("image_url") @Size(max = 2000) @Pattern(regexp = URL_PATTERN) String imageUrl,
      @JsonAlias("link_url") @Size(max = 2000) @Pattern(regexp = URL_PATTERN) String linkUrl,
      @JsonAlias("starts_at") Instant startsAt,
      @JsonAlias("ends_at") Instant endsAt,
      @Min(0) @Max(1_000_000) Integer position) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ProgramView(
      String clientId,
      String name,
      String pointsName,
      Integer expiryDays,
      int pendingDays,
      Long dailyPointsCap,
      Instant createdAt,
      Instant updatedAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ActionView(
      String id,
      String code,
      String name,
      String description,
      long points,
      Integer maxPerUser,
      Integer maxPerUserDay,
      Instant startsAt,
      Instant endsAt,
      boolean active,
      Instant createdAt,
      Instant updatedAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record GiftView(
      String id,
      String name,
      String description,
      String imageUrl,
      long cost,
      Integer stock,
      Integer maxPerUser,
      Instant startsAt,
      Instant endsAt,
      boolean active,
      int position,
      Instant createdAt,
      Instant updatedAt) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AdView(
      String id,
      String kind,
      String title,
      String body,
      String imageUrl,
      String linkUrl,
      Instant startsAt,
      Instant endsAt,
      int position,
      Instant createdAt,
      Instant updatedAt) {}

  /** An upsert's result and whether it created the row. */
  public record Saved<T>(T value, boolean created) {}

  public CatalogService(
      ProgramRepository programs,
      ActionRepository actions,
      GiftRepository gifts,
      AdRepository ads,
      CatalogQueries catalog,
      CatalogRules rules) {
    this.programs = programs;
    this.actions = actions;
    this.gifts = gifts;
    this.ads = ads;
    this.catalog = catalog;
    this.rules = rules;
  }

  // ------------------------------------------------------------------ program

  @WithSession
  public Uni<ProgramView> program(String clientId) {
    return EarnService.program(programs, clientId).map(CatalogService::view);
  }

  public Uni<Saved<ProgramView>> putProgram(String clientId, ProgramSettings settings) {
    return changingRules(
        clientId,
        () -> {
          Instant now = Instant.now();
          Program fresh = new Program();
          fresh.clientId = clientId;
          fresh.createdAt = now;
          apply(fresh, settings, now);
          return catalog
              .insertProgramIfAbsent(fresh)
              .chain(
                  inserted ->
                      inserted == 1
                          ? Uni.createFrom().item(new Saved<>(view(fresh), true))
                          : programs
                              .findById(clientId, LockModeType.PESSIMISTIC_WRITE)
                              .map(
                                  existing -> {
                                    apply(existing, settings, now);
                                    return new Saved<>(view(existing), false);
                                  }));
        });
  }

  // ------------------------------------------------------------------ actions

  @WithTransaction
  public Uni<ActionView> createAction(String clientId, ActionFields fields) {
    if (fields.code() == null) {
      throw ApiException.badRequest("code is required.");
    }
    checkWindow(fields.startsAt(), fields.endsAt());
    Instant now = Instant.now();
    return requireProgram(clientId)
        .chain(() -> actions.findByCode(clientId, fields.code()))
        .chain(
            existing -> {
              if (existing != null) {
                throw codeTaken();
              }
              Action action = new Action();
              action.id = UUID.randomUUID();
              action.clientId = clientId;
              action.code = fields.code();
              action.createdAt = now;
              apply(action, fields, now);
              return actions.persistAndFlush(action);
            })
        // Two creates of one code can both pass the check; the unique key refuses the second.
        .onFailure(CatalogService::isUniqueViolation)
        .transform(e -> codeTaken())
        .map(CatalogService::view);
  }

  @WithSession
  public Uni<List<ActionView>> actions(String clientId) {
    return actions.listFor(clientId).map(list -> list.stream().map(CatalogService::view).toList());
  }

  @WithSession
  public Uni<ActionView> action(String clientId, String code) {
    return ownedAction(clientId, code).map(CatalogService::view);
  }

  public Uni<ActionView> updateAction(String clientId, String code, ActionFields fields) {
    return changingRules(
        clientId,
        () -> {
          if (fields.code() != null && !fields.code().equals(code)) {
            throw ApiException.badRequest("An action's code cannot change; create a new action.");
          }
          checkWindow(fields.startsAt(), fields.endsAt());
          return ownedAction(clientId, code)
              .map(
                  action -> {
                    apply(action, fields, Instant.now());
                    return view(action);
                  });
        });
  }

  /** Deactivates: past earns keep naming the code, and the code stays taken. */
  public Uni<Void> deactivateAction(String clientId, String code) {
    return changingRules(
        clientId,
        () ->
            ownedAction(clientId, code)
                .invoke(
                    action -> {
                      action.active = false;
                      action.updatedAt = Instant.now();
                    })
                .replaceWithVoid());
  }

  /**
   * A change of the program's or an action's rules, in its own transaction; once it has ended
   * (committed, or not), this instance's cached rules of the partner are dropped, so its next earn
   * applies the change (other instances: within the cache's TTL, see {@link CatalogRules}).
   */
  private <T> Uni<T> changingRules(String clientId, Supplier<Uni<T>> change) {
    return Panache.withTransaction(change).onTermination().invoke(() -> rules.invalidate(clientId));
  }

  // ------------------------------------------------------------------ gifts

  @WithTransaction
  public Uni<GiftView> createGift(String clientId, GiftFields fields) {
    checkWindow(fields.startsAt(), fields.endsAt());
    Instant now = Instant.now();
    return requireProgram(clientId)
        .chain(
            () -> {
              Gift gift = new Gift();
              gift.id = UUID.randomUUID();
              gift.clientId = clientId;
              gift.createdAt = now;
              apply(gift, fields, now);
              gift.stock = fields.stock() == null ? null : fields.stock().count();
              return gifts.persist(gift);
            })
        .map(CatalogService::view);
  }

  @WithSession
  public Uni<List<GiftView>> gifts(String clientId) {
    return gifts.listFor(clientId).map(list -> list.stream().map(CatalogService::view).toList());
  }

  @WithSession
  public Uni<GiftView> gift(String clientId, UUID id) {
    return gifts
        .findOwned(clientId, id)
        .onItem()
        .ifNull()
        .failWith(CatalogService::noSuchGift)
        .map(CatalogService::view);
  }

  @WithTransaction
  public Uni<GiftView> updateGift(String clientId, UUID id, GiftFields fields) {
    checkWindow(fields.startsAt(), fields.endsAt());
    return lockedGift(clientId, id)
        .map(
            gift -> {
              apply(gift, fields, Instant.now());
              if (fields.stock() != null) {
                gift.stock = fields.stock().count();
              }
              return view(gift);
            });
  }

  /** Sets the stock outright (null = unlimited), on the locked row, between purchases. */
  @WithTransaction
  public Uni<GiftView> setStock(String clientId, UUID id, Integer stock) {
    return lockedGift(clientId, id)
        .map(
            gift -> {
              gift.stock = stock;
              gift.updatedAt = Instant.now();
              return view(gift);
            });
  }

  /** Deactivates: redemptions keep pointing at the gift. */
  @WithTransaction
  public Uni<Void> deactivateGift(String clientId, UUID id) {
    return lockedGift(clientId, id)
        .invoke(
            gift -> {
              gift.active = false;
              gift.updatedAt = Instant.now();
            })
        .replaceWithVoid();
  }

  // ------------------------------------------------------------------ ads

  @WithTransaction
  public Uni<AdView> createAd(String clientId, AdFields fields) {
    checkWindow(fields.startsAt(), fields.endsAt());
    Instant now = Instant.now();
    return requireProgram(clientId)
        .chain(
            () -> {
              Ad ad = new Ad();
              ad.id = UUID.randomUUID();
              ad.clientId = clientId;
              ad.createdAt = now;
              apply(ad, fields, now);
              return ads.persist(ad);
            })
        .map(CatalogService::view);
  }

  @WithSession
  public Uni<List<AdView>> ads(String clientId) {
    return ads.listFor(clientId).map(list -> list.stream().map(CatalogService::view).toList());
  }

  @WithSession
  public Uni<AdView> ad(String clientId, UUID id) {
    return ownedAd(clientId, id).map(CatalogService::view);
  }

  /** The ads of one kind that are live at {@code now}, by position. */
  @WithSession
  public Uni<List<AdView>> liveAds(String clientId, String kind, Instant now) {
    return ads.live(clientId, kind, now)
        .map(list -> list.stream().map(CatalogService::view).toList());
  }

  @WithTransaction
  public Uni<AdView> updateAd(String clientId, UUID id, AdFields fields) {
    checkWindow(fields.startsAt(), fields.endsAt());
    return ownedAd(clientId, id)
        .map(
            ad -> {
              apply(ad, fields, Instant.now());
              return view(ad);
            });
  }

  /** Ads are referenced by nothing, so they are really deleted. */
  @WithTransaction
  public Uni<Void> deleteAd(String clientId, UUID id) {
    return ownedAd(clientId, id).chain(ads::delete);
  }

  // ------------------------------------------------------------------ helpers

  private Uni<Void> requireProgram(String clientId) {
    return programs
        .findById(clientId)
        .invoke(
            p -> {
              if (p == null) {
                throw ApiException.conflict(
                    "PROGRAM_REQUIRED", "Create the program (PUT /manage/v1/program) first.");
              }
            })
        .replaceWithVoid();
  }

  private Uni<Action> ownedAction(String clientId, String code) {
    return actions
        .findByCode(clientId, code)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such action."));
  }

  private Uni<Gift> lockedGift(String clientId, UUID id) {
    return catalog.lockGift(clientId, id).onItem().ifNull().failWith(CatalogService::noSuchGift);
  }

  private Uni<Ad> ownedAd(String clientId, UUID id) {
    return ads.findOwned(clientId, id)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such ad."));
  }

  private static void checkWindow(Instant startsAt, Instant endsAt) {
    if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
      throw ApiException.badRequest("ends_at must be after starts_at.");
    }
  }

  static boolean isUniqueViolation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.hibernate.JDBCException jdbc
          && UNIQUE_VIOLATION.equals(jdbc.getSQLState())) {
        return true;
      }
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static ApiException codeTaken() {
    return ApiException.conflict(
        "ACTION_CODE_TAKEN", "This partner already has an action with this code.");
  }

  private static ApiException noSuchGift() {
    return ApiException.notFound("No such gift.");
  }

  private static void apply(Program p, ProgramSettings s, Instant now) {
    p.name = s.name();
    p.pointsName = s.pointsName() == null ? "points" : s.pointsName();
    p.expiryDays = s.expiryDays();
    p.pendingDays = s.pendingDays() == null ? 0 : s.pendingDays();
    p.dailyPointsCap = s.dailyPointsCap();
    p.updatedAt = now;
  }

  private static void apply(Action a, ActionFields f, Instant now) {
    a.name = f.name();
    a.description = f.description();
    a.points = f.points();
    a.maxPerUser = f.maxPerUser();
    a.maxPerUserDay = f.maxPerUserDay();
    a.startsAt = f.startsAt();
    a.endsAt = f.endsAt();
    a.active = f.active() == null || f.active();
    a.updatedAt = now;
  }

  private static void apply(Gift g, GiftFields f, Instant now) {
    g.name = f.name();
    g.description = f.description();
    g.imageUrl = f.imageUrl();
    g.cost = f.cost();
    g.maxPerUser = f.maxPerUser();
    g.startsAt = f.startsAt();
    g.endsAt = f.endsAt();
    g.active = f.active() == null || f.active();
    g.position = f.position() == null ? 0 : f.position();
    g.updatedAt = now;
  }

  private static void apply(Ad a, AdFields f, Instant now) {
    a.kind = f.kind();
    a.title = f.title();
    a.body = f.body();
    a.imageUrl = f.imageUrl();
    a.linkUrl = f.linkUrl();
    a.startsAt = f.startsAt();
    a.endsAt = f.endsAt();
    a.position = f.position() == null ? 0 : f.position();
    a.updatedAt = now;
  }

  static ProgramView view(Program p) {
    return new ProgramView(
        p.clientId,
        p.name,
        p.pointsName,
        p.expiryDays,
        p.pendingDays,
        p.dailyPointsCap,
        p.createdAt,
        p.updatedAt);
  }

  static ActionView view(Action a) {
    return new ActionView(
        a.id.toString(),
        a.code,
        a.name,
        a.description,
        a.points,
        a.maxPerUser,
        a.maxPerUserDay,
        a.startsAt,
        a.endsAt,
        a.active,
        a.createdAt,
        a.updatedAt);
  }

  static GiftView view(Gift g) {
    return new GiftView(
        g.id.toString(),
        g.name,
        g.description,
        g.imageUrl,
        g.cost,
        g.stock,
        g.maxPerUser,
        g.startsAt,
        g.endsAt,
        g.active,
        g.position,
        g.createdAt,
        g.updatedAt);
  }

  static AdView view(Ad a) {
    return new AdView(
        a.id.toString(),
        a.kind,
        a.title,
        a.body,
        a.imageUrl,
        a.linkUrl,
        a.startsAt,
        a.endsAt,
        a.position,
        a.createdAt,
        a.updatedAt);
  }
}
