package com.rewards.analytics.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One user's counters for one UTC day. Consumers add to them with native upserts ({@code on
 * conflict ... do update}), which JPQL cannot express; the entity serves reads and the purge.
 */
@Entity
@Table(name = "user_daily")
@IdClass(UserDay.Key.class)
public class UserDay {
  @Id
  @Column(name = "client_id")
  public String clientId;

  @Id
  @Column(name = "user_id")
  public String userId;

  @Id public LocalDate day;

  @Column(name = "events_dropped")
  public long eventsDropped;

  @Column(name = "actions_completed")
  public long actionsCompleted;

  @Column(name = "points_earned")
  public long pointsEarned;

  @Column(name = "points_burned")
  public long pointsBurned;

  @Column(name = "gifts_redeemed")
  public long giftsRedeemed;

  @Column(name = "referrals_applied")
  public long referralsApplied;

  @Column(name = "referrals_converted")
  public long referralsConverted;

  @Column(name = "charges_succeeded")
  public long chargesSucceeded;

  public record Key(String clientId, String userId, LocalDate day) implements Serializable {
    public Key() {
      this(null, null, null);
    }
  }
}
