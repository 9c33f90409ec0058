-- The request that wrote the event, so one id follows a change from the HTTP call into Kafka.
alter table outbox add column request_id text;
