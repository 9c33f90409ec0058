-- One program per partner (client id); every row below belongs to exactly one partner.
create table programs (
    client_id            text primary key,
    name                 text        not null,
    points_name          text        not null default 'points',
    -- Points expire this many days after they become spendable; null = never.
    expiry_days          int check (expiry_days > 0),
    -- An earn becomes spendable after this many days (0 = at once).
    pending_days         int         not null default 0 check (pending_days >= 0),
    -- Most points one user may earn per UTC day, all actions together; null = no cap.
    daily_points_cap     bigint check (daily_points_cap > 0),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);

create table actions (
    id                uuid primary key,
    client_id         text        not null references programs (client_id) on delete cascade,
    code              text        not null,
    name              text        not null,
    description       text,
    points            bigint      not null check (points > 0 and points <= 1000000000),
    -- Per user: how many times in total (1 = once) and per UTC day; null = unlimited.
    max_per_user      int check (max_per_user > 0),
    max_per_user_day  int check (max_per_user_day > 0),
    starts_at         timestamptz,
    ends_at           timestamptz,
    active            boolean     not null default true,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (client_id, code)
);

-- One row per user known to the program: the balance lives here, changed only in the same
-- transaction as the ledger entries that explain it. balance + pending = sum(ledger points).
create table accounts (
    client_id        text        not null,
    user_id          text        not null,
    balance          bigint      not null default 0 check (balance >= 0),
    pending          bigint      not null default 0 check (pending >= 0),
    lifetime_earned  bigint      not null default 0,
    lifetime_burned  bigint      not null default 0,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (client_id, user_id)
);

-- Append-only. points is signed: earn/refund/adjust(+) add, burn/expire/adjust(-) remove.
-- txid lets incrementalinfos read changes without skipping a transaction that commits late.
create table ledger_entries (
    id             bigserial primary key,
    client_id      text        not null,
    user_id        text        not null,
    kind           text        not null check (kind in ('earn', 'burn', 'expire', 'adjust', 'refund')),
    points         bigint      not null check (points <> 0),
    balance_after  bigint      not null,
    source_type    text        not null,
    source_ref     text,
    -- The caller's de-duplication reference (partner transaction id, referral id, ...).
    external_ref   text,
    reason         text,
    available_at   timestamptz not null default now(),
    txid           xid8        not null default pg_current_xact_id(),
    created_at     timestamptz not null default now()
);
create unique index ledger_external_ref on ledger_entries (client_id, user_id, source_type, external_ref)
    where external_ref is not null;
create index ledger_user on ledger_entries (client_id, user_id, id desc);
create index ledger_user_source on ledger_entries (client_id, user_id, source_type, source_ref, created_at);
create index ledger_txid on ledger_entries (client_id, txid);
create index ledger_kind_time on ledger_entries (client_id, kind, created_at);

-- What an earn left to spend. Burns consume lots oldest-expiring first; expiry takes what remains.
create table points_lots (
    id            bigserial primary key,
    client_id     text        not null,
    user_id       text        not null,
    entry_id      bigint      not null references ledger_entries (id) on delete cascade,
    points        bigint      not null check (points > 0),
    remaining     bigint      not null check (remaining >= 0),
    available_at  timestamptz not null,
    released      boolean     not null,
    expires_at    timestamptz,
    created_at    timestamptz not null default now()
);
create index lots_spendable on points_lots (client_id, user_id, expires_at nulls last, id) where remaining > 0;
create index lots_due on points_lots (expires_at) where remaining > 0 and expires_at is not null;
create index lots_pending on points_lots (available_at) where not released;

create table gifts (
    id              uuid primary key,
    client_id       text        not null references programs (client_id) on delete cascade,
    name            text        not null,
    description     text,
    image_url       text,
    cost            bigint      not null check (cost > 0 and cost <= 1000000000),
    -- null = unlimited
    stock           int check (stock >= 0),
    max_per_user    int check (max_per_user > 0),
    starts_at       timestamptz,
    ends_at         timestamptz,
    active          boolean     not null default true,
    position        int         not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index gifts_client on gifts (client_id, position);

create table redemptions (
    id            uuid primary key,
    client_id     text        not null,
    user_id       text        not null,
    gift_id       uuid        not null references gifts (id),
    cost          bigint      not null,
    state         text        not null check (state in ('completed', 'refunded')),
    entry_id      bigint      not null,
    refund_entry  bigint,
    txid          xid8        not null default pg_current_xact_id(),
    created_at    timestamptz not null default now(),
    refunded_at   timestamptz
);
create index redemptions_user on redemptions (client_id, user_id, created_at desc);
create index redemptions_gift_user on redemptions (gift_id, user_id) where state = 'completed';
create index redemptions_txid on redemptions (client_id, txid);

create table ads (
    id          uuid primary key,
    client_id   text        not null references programs (client_id) on delete cascade,
    kind        text        not null check (kind in ('bonus', 'specials', 'news')),
    title       text        not null,
    body        text,
    image_url   text,
    link_url    text,
    starts_at   timestamptz,
    ends_at     timestamptz,
    position    int         not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index ads_client_kind on ads (client_id, kind, position);
