-- A provider link records the issuer that vouched for its subject (issue 10): a subject is only an
-- identity within its issuer, so a provider whose issuer changes must not inherit the old
-- issuer's links unless the partner asks for it (PUT /manage/v1/identity-providers/{name}
-- ?links=transfer). Existing links take their provider's current issuer; links whose provider was
-- removed stay null (unknown), so registering the name again needs links=transfer.
alter table provider_links add column issuer text;

update provider_links l
   set issuer = p.issuer
  from identity_providers p
 where p.partner_id = l.partner_id
   and p.name = l.provider;
