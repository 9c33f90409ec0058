-- pgbench: the SQL of one burn (POST /gift/checkavailability of a gift with cost 1, unlimited
-- stock and no per-user limit; no Idempotency-Key) as loyalty-service sends it, for user pg-<n>:
-- the statements of GiftRepository.FOR_PURCHASE, AccountRepository.LOCK_OR_CREATE,
-- PointsLotRepository.SPENDABLE_PAGE, Ledger.DEBIT and RedemptionRepository.INSERT, same columns,
-- same order (keep them in sync). An unlimited gift's row is not updated (GiftRepository.takeOne).
-- Variables from bench/ledger/run: client, gift (gift id), gift_name, payload. The user must hold
-- exactly one spendable lot (\gset takes one row), which is why bench/ledger/run measures burns
-- before earns; the service binds the lots' ids and takes as bigint[] parameters, pgbench builds
-- the one-element arrays from the row read.
\set n random(1, 200)
SELECT valid_after FROM token_revocations WHERE client_id = :client AND user_id = 'pg-' || :n::text;
BEGIN;
select name, cost, stock, max_per_user, starts_at, ends_at, active from gifts where client_id = :client and id = :gift::uuid;
insert into accounts as a (client_id, user_id) values (:client, 'pg-' || :n::text) on conflict (client_id, user_id) do update set balance = a.balance returning a.balance, a.pending, a.lifetime_earned, a.lifetime_burned, a.created_at, a.updated_at, nextval('ledger_entries_id_seq')
\gset a_
select id, remaining from points_lots where client_id = :client and user_id = 'pg-' || :n::text and released = true and remaining > 0 order by expires_at nulls last, id limit 16 offset 0
\gset l_
\set balance :a_balance - 1
\set burned :a_lifetime_burned + 1
with e as (insert into ledger_entries (id, client_id, user_id, kind, points, balance_after, source_type, source_ref, external_ref, reason, available_at, created_at) values (:a_nextval, :client, 'pg-' || :n::text, 'burn', -1, :balance, 'gift', :gift, NULL, :gift_name, now(), now())), l as (update points_lots p set remaining = p.remaining - t.take from unnest(ARRAY[:l_id]::bigint[], ARRAY[1]::bigint[]) as t(id, take) where p.id = t.id), a as (update accounts set balance = :balance, pending = :a_pending, lifetime_earned = :a_lifetime_earned, lifetime_burned = :burned, updated_at = now() where client_id = :client and user_id = 'pg-' || :n::text) insert into outbox (event_id, topic, message_key, payload, event_type, request_id) values (gen_random_uuid(), 'bench.pgbench.v1', :client::text || '___pg-' || :n::text, :payload, 'loyalty.points.burned.v1', NULL);
with r as (insert into redemptions (id, client_id, user_id, gift_id, cost, state, entry_id, created_at) values (gen_random_uuid(), :client, 'pg-' || :n::text, :gift::uuid, 1, 'completed', :a_nextval, now())) insert into outbox (event_id, topic, message_key, payload, event_type, request_id) values (gen_random_uuid(), 'bench.pgbench.v1', :client::text || '___pg-' || :n::text, :payload, 'loyalty.gift.redeemed.v1', NULL);
COMMIT;
