package com.rewards.suite;

import static com.rewards.suite.Partner.asUser;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 3: when the database transaction of a write fails after the domain rows are
 * written, nothing of it reaches Kafka. The failure is injected where the transaction ends, at the
 * outbox insert of one user's events (a trigger in loyalty's database that raises for that user
 * only, so other traffic is untouched), and removed again.
 */
class RollbackLeavesNoEventTest {

  @Test
  void aWriteWhoseTransactionRollsBackPublishesNothingAndChangesNothing() throws Exception {
    Partner p = Fixtures.partner();
    Fixtures.program(p);
    Fixtures.action(p, "tap", 5);
    String user = Suite.unique("rollback");
    String token = Fixtures.userToken(p, user);
    String trigger = "suite_fail_" + user.replace('-', '_');

    try (Connection db = Suite.database("loyalty");
        var sql = db.createStatement()) {
      sql.execute(
          "create function "
              + trigger
              + "() returns trigger language plpgsql as $$ begin"
              + " if new.payload like '%"
              + user
              + "%' then raise exception 'suite: injected failure at commit'; end if;"
              + " return new; end $$");
      sql.execute(
          "create trigger "
              + trigger
              + " before insert on outbox for each row execute function "
              + trigger
              + "()");
      try {
        for (int i = 0; i < 3; i++) {
          var answer =
              asUser(token)
                  .body("{\"action_code\":\"tap\"}")
                  .post("/generosity/store")
                  .then()
                  .extract();
          assertEquals(500, answer.statusCode(), answer.asString());
          assertEquals("application/problem+json", answer.contentType().split(";")[0]);
        }
      } finally {
        sql.execute("drop trigger " + trigger + " on outbox");
        sql.execute("drop function " + trigger + "()");
      }
    }

    // The ledger rows written before the outbox insert rolled back with it...
    assertEquals(0, Fixtures.balance(p, user));
    assertEquals(0, events(user), "no event of a rolled-back write");
    // ...and the same write, without the fault, is whole: one entry, one event.
    asUser(token)
        .body("{\"action_code\":\"tap\"}")
        .post("/generosity/store")
        .then()
        .statusCode(200)
        .body("data.balance", equalTo(5));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertEquals(1, events(user)));
    Figures.record("3", "earn rolled back at the outbox insert (3 tries)", 4, 1, 3, 0, "pass");
  }

  private static long events(String user) {
    return Topics.readFromStart(
            "loyalty.ledger.v1",
            r -> r.value() != null && r.value().contains("\"" + user + "\""),
            Duration.ofSeconds(20))
        .size();
  }
}
