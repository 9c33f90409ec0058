-- pgbench: the SQL of one earn (POST /generosity/store, no Idempotency-Key, no caps) as
-- loyalty-service sends it (statements, columns and order taken from Hibernate's SQL log), for
-- user pg-<n>. Variables from bench/ledger/run: client (partner), action (action code), payload
-- (an outbox payload of the service's size). Values the service computes in Java (the new
-- balance, the ids) are computed here from the rows read, so the transaction writes the same rows.
\set n random(1, 200)
-- The token's revocation check (platform TokenRevocations), before the transaction.
SELECT valid_after FROM token_revocations WHERE client_id = :client AND user_id = 'pg-' || :n::text;
BEGIN;
SELECT p1_0.client_id, p1_0.created_at, p1_0.daily_points_cap, p1_0.expiry_days, p1_0.name, p1_0.pending_days, p1_0.points_name, p1_0.updated_at FROM programs p1_0 WHERE p1_0.client_id = :client;
SELECT a1_0.id, a1_0.active, a1_0.client_id, a1_0.code, a1_0.created_at, a1_0.description, a1_0.ends_at, a1_0.max_per_user, a1_0.max_per_user_day, a1_0.name, a1_0.points, a1_0.starts_at, a1_0.updated_at FROM actions a1_0 WHERE a1_0.client_id = :client AND a1_0.code = :action OFFSET 0 ROWS FETCH FIRST 1 ROWS ONLY;
INSERT INTO accounts (client_id, user_id) VALUES (:client, 'pg-' || :n::text) ON CONFLICT DO NOTHING;
SELECT a1_0.client_id AS a_client, a1_0.user_id AS a_user, a1_0.balance AS a_balance, a1_0.created_at AS a_created, a1_0.lifetime_burned AS a_burned, a1_0.lifetime_earned AS a_earned, a1_0.pending AS a_pending, a1_0.updated_at AS a_updated FROM accounts a1_0 WHERE (a1_0.client_id, a1_0.user_id) IN ((:client, 'pg-' || :n::text)) FOR NO KEY UPDATE OF a1_0
\gset
\set balance :a_balance + 1
\set earned :a_earned + 1
INSERT INTO ledger_entries (available_at, balance_after, client_id, created_at, external_ref, kind, points, reason, source_ref, source_type, user_id) VALUES (now(), :balance, :client, now(), NULL, 'earn', 1, NULL, :action, 'action', 'pg-' || :n::text) RETURNING id AS entry_id
\gset
UPDATE accounts SET balance = :balance, created_at = :a_created, lifetime_burned = :a_burned, lifetime_earned = :earned, pending = :a_pending, updated_at = now() WHERE client_id = :client AND user_id = 'pg-' || :n::text;
INSERT INTO points_lots (available_at, client_id, created_at, entry_id, expires_at, points, released, remaining, user_id) VALUES (now(), :client, now(), :entry_id, NULL, 1, true, 1, 'pg-' || :n::text) RETURNING id;
INSERT INTO outbox (event_id, topic, message_key, payload, event_type, request_id) VALUES (gen_random_uuid(), 'bench.pgbench.v1', :client::text || '___pg-' || :n::text, :payload, 'loyalty.points.earned.v1', NULL);
COMMIT;
