-- When lines of an attempt were last stored: how old a log without any status is.
alter table logs.attempts add column updated_at timestamptz not null default now();

-- Retention finds the builds whose newest status is older than its limit.
create index builds_updated_at on logs.builds (updated_at);
create index attempts_updated_at on logs.attempts (updated_at);
