-- Local state kept in step with Stripe by write-through (our own calls) and webhooks (everything
-- else), so reads never wait on Stripe. Card numbers never get here: only Stripe ids, brand, last4
-- and expiry.

-- One Stripe customer per user. The row exists before the Stripe customer does: inserting it and
-- locking it is what makes creation race-safe (a concurrent first use waits, then finds the id).
create table customers (
    client_id          text        not null,
    user_id            text        not null,
    stripe_customer_id text unique,
    default_card_id    text,
    vat_number         text,
    company_name       text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    primary key (client_id, user_id)
);

create table cards (
    id              text primary key,
    client_id       text        not null,
    user_id         text        not null,
    brand           text,
    last4           text,
    exp_month       int,
    exp_year        int,
    funding         text,
    country         text,
    address_line1   text,
    address_city    text,
    address_zip     text,
    address_country text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    foreign key (client_id, user_id) references customers (client_id, user_id) on delete cascade
);
create index cards_user on cards (client_id, user_id, created_at desc);

create table charges (
    id              text primary key,
    client_id       text        not null,
    user_id         text        not null,
    amount          bigint      not null check (amount >= 0),
    amount_refunded bigint      not null default 0 check (amount_refunded >= 0),
    currency        text        not null,
    status          text        not null,
    description     text,
    card_id         text,
    failure_code    text,
    -- Stripe's creation time of the charge, and of the newest webhook event applied to it: an
    -- older event arriving late never overwrites a newer state.
    stripe_created  timestamptz not null,
    last_event_at   bigint      not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index charges_user on charges (client_id, user_id, stripe_created desc, id desc);

create table subscriptions (
    id                   text primary key,
    client_id            text        not null,
    user_id              text        not null,
    status               text        not null,
    price_id             text,
    quantity             bigint,
    current_period_end   timestamptz,
    cancel_at_period_end boolean     not null default false,
    canceled_at          timestamptz,
    stripe_created       timestamptz not null,
    last_event_at        bigint      not null default 0,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
create index subscriptions_user on subscriptions (client_id, user_id, stripe_created desc, id desc);

-- Stripe customers of deleted users still to be deleted at Stripe: written in the same
-- transaction as the purge, removed once Stripe confirms, retried with backoff until then.
create table stripe_customer_deletions (
    stripe_customer_id text primary key,
    client_id          text        not null,
    user_id            text        not null,
    attempts           int         not null default 0,
    next_attempt_at    timestamptz not null default now(),
    last_error         text,
    created_at         timestamptz not null default now()
);
create index stripe_customer_deletions_due on stripe_customer_deletions (next_attempt_at);
