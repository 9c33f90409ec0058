package com.rewards.loyalty.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.io.Serializable;
import java.time.Instant;

/**
 * A user's points: spendable {@code balance} and not-yet-spendable {@code pending}. Locked (select
 * for update) by every write, which serializes one user's earns and burns.
 */
@Entity
@Table(name = "accounts")
@IdClass(Account.Key.class)
public class Account {
  @Id
  @Column(name = "client_id")
  public String clientId;

  @Id
  @Column(name = "user_id")
  public String userId;

  public long balance;
  public long pending;

  @Column(name = "lifetime_earned")
  public long lifetimeEarned;

  @Column(name = "lifetime_burned")
  public long lifetimeBurned;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /**
   * An id drawn from the ledger's sequence by {@link AccountRepository#lockOrCreate} for the next
   * entry written on this account, so that entry and its event go in one statement; null once used.
   */
  @Transient public Long nextEntryId;

  public record Key(String clientId, String userId) implements Serializable {
    public Key() {
      this(null, null);
    }
  }

  public static Account empty(String clientId, String userId) {
    Account account = new Account();
    account.clientId = clientId;
    account.userId = userId;
    account.createdAt = Instant.now();
    account.updatedAt = account.createdAt;
    return account;
  }
}
