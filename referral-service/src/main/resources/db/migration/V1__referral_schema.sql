-- A partner's referral program (document 001): rewards, conversion rule, fraud limits and the key
-- that signs its client JWTs. The tenant of /api/v1/{tenant}/open is the partner's client id.
create table referral_programs (
    client_id               text primary key,
    enabled                 boolean     not null default true,
    referrer_points         bigint      not null default 0 check (referrer_points between 0 and 1000000000),
    referred_points         bigint      not null default 0 check (referred_points between 0 and 1000000000),
    conversion_trigger      text        not null default 'points_earned'
                                        check (conversion_trigger in ('points_earned', 'payment', 'manual')),
    -- Most referrals one referrer may collect in 24 hours; null = no limit.
    velocity_limit_per_day  int check (velocity_limit_per_day > 0),
    -- A referrer collecting this many referrals within an hour gets the next ones flagged; null = off.
    flag_hourly_threshold   int check (flag_hourly_threshold > 0),
    -- Client JWTs: HS256 with a secret sealed by SecretSealer (it must be read back to verify), or
    -- RS256/ES256 with the partner's public key. Nothing registered = no client JWT is accepted.
    jwt_algorithm           text check (jwt_algorithm in ('HS256', 'RS256', 'ES256')),
    jwt_secret_sealed       text,
    jwt_public_key_pem      text,
    -- The key replaced by the last rotation, accepted until previous_valid_until (a grace period).
    jwt_previous_algorithm  text check (jwt_previous_algorithm in ('HS256', 'RS256', 'ES256')),
    jwt_previous_secret_sealed text,
    jwt_previous_public_key_pem text,
    jwt_previous_valid_until timestamptz,
    jwt_rotated_at          timestamptz,
    -- Tokens without exp are refused when set (document 001 makes exp optional).
    require_exp             boolean     not null default false,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now(),
    check (jwt_algorithm is null
        or (jwt_algorithm = 'HS256' and jwt_secret_sealed is not null and jwt_public_key_pem is null)
        or (jwt_algorithm <> 'HS256' and jwt_public_key_pem is not null and jwt_secret_sealed is null))
);

-- API keys of document 001 (HTTP Basic password). Only the SHA-256 of the key is kept; the prefix
-- lets a partner tell its keys apart in a listing.
create table api_keys (
    id          uuid primary key,
    client_id   text        not null references referral_programs (client_id),
    key_hash    text        not null unique,
    prefix      text        not null,
    name        text,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index api_keys_client on api_keys (client_id, created_at);

-- A user of the partner known to the program. user_id is the platform user id, unique per partner;
-- account_id groups users as document 001 does. Personal data is removed when the user is deleted.
create table participants (
    id             uuid primary key,
    client_id      text        not null,
    account_id     text        not null,
    user_id        text        not null,
    email          text,
    first_name     text,
    last_name      text,
    locale         text,
    image_url      text,
    -- Stored upper-case: codes are case-insensitive. Null once the user is deleted.
    referral_code  text,
    -- Server-only: may this user be referred at all (e.g. not an existing customer)?
    referable      boolean     not null default true,
    segments       text[]      not null default '{}',
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    unique (client_id, user_id)
);
create unique index participants_code on participants (client_id, referral_code)
    where referral_code is not null;
-- Code generation looks for BOBTESTERSON, BOBTESTERSON1, ...
create index participants_code_prefix on participants (client_id, referral_code text_pattern_ops);

-- One row per referred user: the unique key makes "already referred" hold under concurrency too.
-- Ids of a deleted user are replaced by a pseudonym (deleted-...) so counts stay, anonymous.
create table referrals (
    id                   uuid primary key,
    client_id            text        not null,
    referrer_account_id  text        not null,
    referrer_user_id     text        not null,
    referred_account_id  text        not null,
    referred_user_id     text        not null,
    referral_code        text,
    state                text        not null check (state in ('PENDING', 'FLAGGED', 'CONVERTED', 'DENIED')),
    -- Why the referral was flagged (rule codes), or why it was denied.
    reasons              text[]      not null default '{}',
    note                 text,
    -- The referred user's first qualifying event arrived while the referral was flagged.
    qualified_at         timestamptz,
    referrer_points      bigint,
    referred_points      bigint,
    conversion_trigger   text,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    decided_at           timestamptz,
    converted_at         timestamptz,
    unique (client_id, referred_user_id)
);
create index referrals_referrer on referrals (client_id, referrer_user_id, created_at desc);
create index referrals_state on referrals (client_id, state, created_at desc);
