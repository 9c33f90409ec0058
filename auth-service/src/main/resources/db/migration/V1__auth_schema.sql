create table partners (
    id                uuid primary key,
    client_id         text        not null unique,
    name              text        not null,
    -- SHA-256 of a 256-bit random secret: high entropy makes a slow hash unnecessary.
    secret_hash       text        not null,
    store_url         text,
    -- Server tokens issued before this instant are revoked (secret rotation).
    tokens_not_before timestamptz,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);

create table users (
    id                 uuid primary key,
    partner_id         uuid        not null references partners (id) on delete cascade,
    external_id        text        not null,
    username           text,
    email              text,
    phone              text,
    first_name         text,
    last_name          text,
    info               text,
    password_hash      text,
    -- Tokens issued at or before this instant are refused (logout on all devices).
    tokens_valid_after timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (partner_id, external_id)
);
create unique index users_email_unique on users (partner_id, lower(email)) where email is not null;
create unique index users_username_unique on users (partner_id, lower(username)) where username is not null;
create unique index users_phone_unique on users (partner_id, phone) where phone is not null;

-- Holds arrive as events from other services (an active subscription, ...): a user with a hold
-- cannot be deleted. Kept by client id and user id because the event may precede the user row.
create table user_holds (
    client_id  text        not null,
    user_id    text        not null,
    bucket     text        not null,
    reason     text        not null,
    created_at timestamptz not null default now(),
    primary key (client_id, user_id, bucket)
);

create table signing_keys (
    kid             text primary key,
    algorithm       text        not null,
    -- PKCS#8 private key sealed with AES-GCM under the configured key-encryption key.
    private_key     text        not null,
    public_jwk      text        not null,
    created_at      timestamptz not null default now(),
    retired_at      timestamptz
);

create table otp_codes (
    id          uuid primary key,
    user_ref    uuid        not null references users (id) on delete cascade,
    channel     text        not null,
    destination text        not null,
    code_hash   text        not null,
    attempts    int         not null default 0,
    expires_at  timestamptz not null,
    consumed_at timestamptz,
    created_at  timestamptz not null default now()
);
create index otp_codes_user on otp_codes (user_ref, created_at);

create table identity_providers (
    partner_id uuid not null references partners (id) on delete cascade,
    name       text not null,
    issuer     text not null,
    jwks_url   text not null,
    audience   text not null,
    primary key (partner_id, name)
);

create table provider_links (
    partner_id uuid not null references partners (id) on delete cascade,
    provider   text not null,
    subject    text not null,
    user_ref   uuid not null references users (id) on delete cascade,
    primary key (partner_id, provider, subject)
);

create table store_codes (
    code_hash  text primary key,
    user_ref   uuid        not null references users (id) on delete cascade,
    expires_at timestamptz not null,
    used_at    timestamptz
);
