-- Participation aggregates, one row per UTC day. Consumers add to them in the same transaction as
-- their inbox row, so a redelivered event never counts twice.

-- The whole program of a partner: anonymous, kept when a user is deleted.
create table partner_daily (
    client_id           text   not null,
    day                 date   not null,
    events_dropped      bigint not null default 0,
    actions_completed   bigint not null default 0,
    points_earned       bigint not null default 0,
    points_burned       bigint not null default 0,
    gifts_redeemed      bigint not null default 0,
    referrals_applied   bigint not null default 0,
    referrals_converted bigint not null default 0,
    charges_succeeded   bigint not null default 0,
    new_users           bigint not null default 0,
    primary key (client_id, day)
);

create table partner_event_daily (
    client_id text   not null,
    day       date   not null,
    event_id  text   not null,
    dropped   bigint not null default 0,
    primary key (client_id, day, event_id)
);

-- One user's own history: deleted with the user.
create table user_daily (
    client_id           text   not null,
    user_id             text   not null,
    day                 date   not null,
    events_dropped      bigint not null default 0,
    actions_completed   bigint not null default 0,
    points_earned       bigint not null default 0,
    points_burned       bigint not null default 0,
    gifts_redeemed      bigint not null default 0,
    referrals_applied   bigint not null default 0,
    referrals_converted bigint not null default 0,
    charges_succeeded   bigint not null default 0,
    primary key (client_id, user_id, day)
);

create table user_event_daily (
    client_id text   not null,
    user_id   text   not null,
    day       date   not null,
    event_id  text   not null,
    dropped   bigint not null default 0,
    primary key (client_id, user_id, day, event_id)
);

-- Who was active on a day, so active users can be counted distinct over a week or a month. When a
-- user is deleted, their actor becomes a random id that nothing links back to the user: program
-- counts stay right and the rows are no longer the user's.
create table daily_actives (
    client_id text not null,
    day       date not null,
    actor     text not null,
    primary key (client_id, day, actor)
);
create index daily_actives_actor on daily_actives (client_id, actor);

-- Users deleted by auth: events about them from before the deletion that arrive late (another topic,
-- a replay) still count for the program but never recreate the user's rows.
create table deleted_users (
    client_id  text        not null,
    user_id    text        not null,
    deleted_at timestamptz not null,
    primary key (client_id, user_id)
);

-- Client event ids of drops (X-Client-Event-Id), remembered for a day so a retry is not stored
-- twice. event_id is the CloudEvent id the drop is (or will be) published under; acked turns true
-- once Kafka acknowledged it.
create table px_client_events (
    client_id       text        not null,
    user_id         text        not null,
    client_event_id text        not null,
    request_hash    text        not null,
    event_id        uuid        not null,
    acked           boolean     not null default false,
    created_at      timestamptz not null default now(),
    primary key (client_id, user_id, client_event_id)
);
create index px_client_events_created_at on px_client_events (created_at);
