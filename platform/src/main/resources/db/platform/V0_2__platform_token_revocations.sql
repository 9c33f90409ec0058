-- What this service has learned from auth.users.v1 / auth.partners.v1: tokens of a user (or, with
-- user_id '*', server tokens of a partner) issued at or before valid_after are refused.
create table token_revocations (
    client_id   text        not null,
    user_id     text        not null,
    valid_after timestamptz not null,
    primary key (client_id, user_id)
);
