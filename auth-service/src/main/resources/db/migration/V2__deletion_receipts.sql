-- What a user's deletion removed where: one row per service, pending until that service reports
-- its purge (its <service>.user.erased.v1 event). Holds no personal data: the user is named only by
-- user_hash (SHA-256 hex of clientId___userId), so rows stay after the user is gone. A later
-- deletion of a user with the same id (signed in again) replaces the rows.
create table deletion_receipts (
    partner_id   uuid        not null references partners (id) on delete cascade,
    user_hash    text        not null,
    service      text        not null,
    -- The auth.user.deleted.v1 event id: a late report of an earlier deletion does not count.
    deletion_id  uuid        not null,
    requested_at timestamptz not null,
    status       text        not null check (status in ('pending', 'done')),
    -- JSON objects table -> rows: deleted, and kept for the partner's figures under a pseudonym.
    removed      text,
    anonymised   text,
    completed_at timestamptz,
    primary key (partner_id, user_hash, service)
);
