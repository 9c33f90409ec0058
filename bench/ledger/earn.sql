-- pgbench: the SQL of one earn (POST /generosity/store, no Idempotency-Key, no caps) as
-- loyalty-service sends it, for user pg-<n>: the statements of AccountRepository.LOCK_OR_CREATE
-- and Ledger.CREDIT, same columns, same order (keep them in sync). The program's and the action's
-- rules come from the service's cache (CatalogRules): no statement. Variables from
-- bench/ledger/run: client (partner), action (action code), payload (an outbox payload of the
-- service's size). Values the service computes in Java (the new balance, the timestamps it binds)
-- are computed here from the row read, or are now(), so the transaction writes the same rows.
\set n random(1, 200)
-- The token's revocation check (platform TokenRevocations), before the transaction.
SELECT valid_after FROM token_revocations WHERE client_id = :client AND user_id = 'pg-' || :n::text;
BEGIN;
insert into accounts as a (client_id, user_id) values (:client, 'pg-' || :n::text) on conflict (client_id, user_id) do update set balance = a.balance returning a.balance, a.pending, a.lifetime_earned, a.lifetime_burned, a.created_at, a.updated_at, nextval('ledger_entries_id_seq')
\gset a_
\set balance :a_balance + 1
\set earned :a_lifetime_earned + 1
with e as (insert into ledger_entries (id, client_id, user_id, kind, points, balance_after, source_type, source_ref, external_ref, reason, available_at, created_at) values (:a_nextval, :client, 'pg-' || :n::text, 'earn', 1, :balance, 'action', :action, NULL, NULL, now(), now())), l as (insert into points_lots (client_id, user_id, entry_id, points, remaining, available_at, released, expires_at, created_at) values (:client, 'pg-' || :n::text, :a_nextval, 1, 1, now(), true, NULL, now())), a as (update accounts set balance = :balance, pending = :a_pending, lifetime_earned = :earned, lifetime_burned = :a_lifetime_burned, updated_at = now() where client_id = :client and user_id = 'pg-' || :n::text) insert into outbox (event_id, topic, message_key, payload, event_type, request_id) values (gen_random_uuid(), 'bench.pgbench.v1', :client::text || '___pg-' || :n::text, :payload, 'loyalty.points.earned.v1', NULL);
COMMIT;
