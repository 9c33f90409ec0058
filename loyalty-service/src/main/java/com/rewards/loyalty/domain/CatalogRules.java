package com.rewards.loyalty.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The program's and the actions' rules that earns, refunds, adjustments and referral credits apply,
 * kept in memory: they change only through {@code /manage/v1}, while every earn needs both, which
 * was two statements of every earn.
 *
 * <p>Freshness. A change made through this instance is seen by the next write: {@link #invalidate}
 * runs once the change has committed, and a read that was already running when it committed is not
 * kept (the generation check below). A change made through another instance (or straight in the
 * database) is seen here within {@code rewards.loyalty.rules-cache-ttl} (5 s): until then an earn
 * here may still apply the old points, caps or window. Only rules that exist are kept, so a newly
 * created program or action counts at once everywhere.
 */
@ApplicationScoped
public class CatalogRules {
  /** A program's rules, as its row held them when read. */
  public record ProgramRules(
      String clientId, Integer expiryDays, int pendingDays, Long dailyPointsCap) {}

  /** An action's rules, as its row held them when read. */
  public record ActionRules(
      String code,
      long points,
      Integer maxPerUser,
      Integer maxPerUserDay,
      Instant startsAt,
      Instant endsAt,
      boolean active) {
    public boolean isOpenAt(Instant at) {
      return active
          && (startsAt == null || !at.isBefore(startsAt))
          && (endsAt == null || at.isBefore(endsAt));
    }
  }

  private record ProgramKey(String clientId) {}

  private record ActionKey(String clientId, String code) {}

  private final Cache<Object, Object> cache;
  // Bumped by every invalidation: a read that started before it is not kept (see cached).
  private final AtomicLong generation = new AtomicLong();

  public CatalogRules(
      @ConfigProperty(name = "rewards.loyalty.rules-cache-ttl", defaultValue = "5s") Duration ttl) {
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
  }

  /** The partner's program rules, or null if it has no program. Needs an open session. */
  public Uni<ProgramRules> program(String clientId) {
    return cached(
        new ProgramKey(clientId),
        () ->
            SessionSql.row(
                    "select expiry_days, pending_days, daily_points_cap from programs"
                        + " where client_id = $1",
                    clientId)
                .map(
                    r ->
                        r == null
                            ? null
                            : new ProgramRules(
                                clientId, (Integer) r[0], (Integer) r[1], (Long) r[2])));
  }

  /** The partner's action with this code, or null. Needs an open session. */
  public Uni<ActionRules> action(String clientId, String code) {
    return cached(
        new ActionKey(clientId, code),
        () ->
            SessionSql.row(
                    "select points, max_per_user, max_per_user_day, starts_at, ends_at, active"
                        + " from actions where client_id = $1 and code = $2",
                    clientId,
                    code)
                .map(
                    r ->
                        r == null
                            ? null
                            : new ActionRules(
                                code,
                                (Long) r[0],
                                (Integer) r[1],
                                (Integer) r[2],
                                instant(r[3]),
                                instant(r[4]),
                                (Boolean) r[5])));
  }

  /**
   * Forgets the partner's rules. Call it after the change has committed: a read between the change
   * and its commit would otherwise put the old rules back.
   */
  public void invalidate(String clientId) {
    generation.incrementAndGet();
    cache
        .asMap()
        .keySet()
        .removeIf(
            k ->
                k instanceof ProgramKey p
                    ? p.clientId().equals(clientId)
                    : ((ActionKey) k).clientId().equals(clientId));
  }

  @SuppressWarnings("unchecked")
  private <T> Uni<T> cached(Object key, Supplier<Uni<T>> load) {
    Object hit = cache.getIfPresent(key);
    if (hit != null) {
      return Uni.createFrom().item((T) hit);
    }
    // Read before the query starts: an invalidation after this point, however it interleaves
    // with the put below, leaves no entry from this read (either its own removal or ours).
    long before = generation.get();
    return load.get()
        .invoke(
            value -> {
              if (value != null) {
                cache.put(key, value);
                if (generation.get() != before) {
                  cache.asMap().remove(key, value);
                }
              }
            });
  }

  private static Instant instant(Object value) {
    return value == null ? null : ((OffsetDateTime) value).toInstant();
  }
}
