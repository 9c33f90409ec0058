-- Both reference users with on delete cascade: without an index on user_ref, deleting a user
-- (user/delete, a partner's removal) scanned each table whole to find the user's rows.
create index provider_links_user on provider_links (user_ref);
create index store_codes_user on store_codes (user_ref);
