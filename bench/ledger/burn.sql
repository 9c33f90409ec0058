-- pgbench: the SQL of one burn (POST /gift/checkavailability of a gift with cost 1, unlimited
-- stock and no per-user limit; no Idempotency-Key) as loyalty-service sends it (statements,
-- columns and order taken from Hibernate's SQL log), for user pg-<n>. Variables from
-- bench/ledger/run: client, gift (gift id), gift_name, payload. The user must hold exactly one
-- spendable lot (\gset takes one row), which is why bench/ledger/run measures burns before earns.
-- \gset turns NULL into an empty string, hence the one NULLIF (the lot's expires_at is NULL here).
\set n random(1, 200)
SELECT valid_after FROM token_revocations WHERE client_id = :client AND user_id = 'pg-' || :n::text;
BEGIN;
SELECT g1_0.id, g1_0.active, g1_0.client_id, g1_0.cost, g1_0.created_at, g1_0.description, g1_0.ends_at, g1_0.image_url, g1_0.max_per_user, g1_0.name, g1_0.position, g1_0.starts_at, g1_0.stock, g1_0.updated_at FROM gifts g1_0 WHERE g1_0.client_id = :client AND g1_0.id = :gift::uuid OFFSET 0 ROWS FETCH FIRST 1 ROWS ONLY;
INSERT INTO accounts (client_id, user_id) VALUES (:client, 'pg-' || :n::text) ON CONFLICT DO NOTHING;
SELECT a1_0.client_id AS a_client, a1_0.user_id AS a_user, a1_0.balance AS a_balance, a1_0.created_at AS a_created, a1_0.lifetime_burned AS a_burned, a1_0.lifetime_earned AS a_earned, a1_0.pending AS a_pending, a1_0.updated_at AS a_updated FROM accounts a1_0 WHERE (a1_0.client_id, a1_0.user_id) IN ((:client, 'pg-' || :n::text)) FOR NO KEY UPDATE OF a1_0
\gset
UPDATE gifts SET stock = stock - 1, updated_at = now() WHERE id = :gift::uuid AND (stock IS NULL OR stock > 0);
SELECT pl1_0.id AS l_id, pl1_0.available_at AS l_available, pl1_0.client_id AS l_client, pl1_0.created_at AS l_created, pl1_0.entry_id AS l_entry, pl1_0.expires_at AS l_expires, pl1_0.points AS l_points, pl1_0.released AS l_released, pl1_0.remaining AS l_remaining, pl1_0.user_id AS l_user FROM points_lots pl1_0 WHERE pl1_0.client_id = :client AND pl1_0.user_id = 'pg-' || :n::text AND pl1_0.released = true AND pl1_0.remaining > 0 ORDER BY pl1_0.expires_at, pl1_0.id
\gset
\set balance :a_balance - 1
\set burned :a_burned + 1
\set remaining :l_remaining - 1
INSERT INTO ledger_entries (available_at, balance_after, client_id, created_at, external_ref, kind, points, reason, source_ref, source_type, user_id) VALUES (now(), :balance, :client, now(), NULL, 'burn', -1, :gift_name, :gift, 'gift', 'pg-' || :n::text) RETURNING id AS entry_id
\gset
UPDATE accounts SET balance = :balance, created_at = :a_created, lifetime_burned = :burned, lifetime_earned = :a_earned, pending = :a_pending, updated_at = now() WHERE client_id = :client AND user_id = 'pg-' || :n::text;
UPDATE points_lots SET available_at = :l_available, client_id = :l_client, created_at = :l_created, entry_id = :l_entry, expires_at = NULLIF(:l_expires, '')::timestamptz, points = :l_points, released = :l_released, remaining = :remaining, user_id = :l_user WHERE id = :l_id;
INSERT INTO outbox (event_id, topic, message_key, payload, event_type, request_id) VALUES (gen_random_uuid(), 'bench.pgbench.v1', :client::text || '___pg-' || :n::text, :payload, 'loyalty.points.burned.v1', NULL);
INSERT INTO outbox (event_id, topic, message_key, payload, event_type, request_id) VALUES (gen_random_uuid(), 'bench.pgbench.v1', :client::text || '___pg-' || :n::text, :payload, 'loyalty.gift.redeemed.v1', NULL);
INSERT INTO redemptions (client_id, cost, created_at, entry_id, gift_id, refund_entry, refunded_at, state, user_id, id) VALUES (:client, 1, now(), :entry_id, :gift::uuid, NULL, NULL, 'completed', 'pg-' || :n::text, gen_random_uuid());
COMMIT;
