-- points_lots.entry_id references ledger_entries with on delete cascade. Without an index on it,
-- every deleted ledger entry (a user's erasure, a partner's program removed) made PostgreSQL scan
-- the whole points_lots table, of every partner, once per entry: erasing a user with n entries
-- cost n full scans (the bench's clean-up of 225,000 entries ran for many minutes).
create index lots_entry on points_lots (entry_id);
