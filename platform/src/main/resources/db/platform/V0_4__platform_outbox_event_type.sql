-- The CloudEvent type beside the payload, so the relay can count what it publishes per type.
alter table outbox add column event_type text;
