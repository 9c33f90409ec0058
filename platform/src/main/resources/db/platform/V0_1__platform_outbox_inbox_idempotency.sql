-- Shared by every service: each service's own database gets its own copy of these tables.
create table outbox (
    id          bigserial primary key,
    event_id    uuid        not null unique,
    topic       text        not null,
    message_key text        not null,
    payload     text        not null,
    created_at  timestamptz not null default now()
);

create table inbox (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

create table idempotency_keys (
    scope         text        not null,
    idem_key      text        not null,
    request_hash  text        not null,
    response_body text,
    created_at    timestamptz not null default now(),
    primary key (scope, idem_key)
);
create index idempotency_keys_created_at on idempotency_keys (created_at);
