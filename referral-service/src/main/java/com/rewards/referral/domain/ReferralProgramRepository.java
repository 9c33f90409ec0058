package com.rewards.referral.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;

@ApplicationScoped
public class ReferralProgramRepository implements PanacheRepositoryBase<ReferralProgram, String> {

  /**
   * The partner's program, created with the defaults if new, locked for the rest of the
   * transaction. Two first writes racing each other both land on the existing row.
   */
  public Uni<ReferralProgram> lockOrCreate(String clientId) {
    ReferralProgram d = ReferralProgram.defaults(clientId, Instant.now());
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into referral_programs (client_id, enabled, conversion_trigger,"
                            + " velocity_limit_per_day, flag_hourly_threshold)"
                            + " values (:c, true, :t, :v, :f) on conflict do nothing")
                    .setParameter("c", clientId)
                    .setParameter("t", d.conversionTrigger)
                    .setParameter("v", d.velocityLimitPerDay)
                    .setParameter("f", d.flagHourlyThreshold)
                    .executeUpdate())
        .chain(() -> findById(clientId, LockModeType.PESSIMISTIC_WRITE));
  }
}
