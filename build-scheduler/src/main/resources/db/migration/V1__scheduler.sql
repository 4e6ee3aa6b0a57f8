-- Every build the scheduler knows, with the state only the scheduler may change.
create table scheduler.builds (
  id text primary key,
  owner text not null,
  -- The spec as submitted, secret values included: the worker that runs the build needs them.
  spec jsonb not null,
  -- options.platform of the spec, kept apart so the queue can be filtered by it; null means any.
  platform text,
  priority int not null,
  state text not null,
  attempt int not null,
  worker_id text,
  -- The start time of the worker process the attempt was given to, to notice that it restarted.
  worker_started_at timestamptz,
  lease_expires_at timestamptz,
  cancel_requested boolean not null default false,
  created_at timestamptz not null,
  queued_at timestamptz not null,
  assigned_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz
);

create index builds_queue on scheduler.builds (priority desc, queued_at, id) where state = 'QUEUED';
create index builds_active on scheduler.builds (worker_id) where state in ('ASSIGNED', 'RUNNING');

-- The worker registry, fed by heartbeats.
create table scheduler.workers (
  id text primary key,
  platform text not null,
  labels jsonb not null,
  slots_total int not null,
  -- What the worker said last; assignment counts busy slots from scheduler.builds instead.
  slots_free_reported int not null,
  -- The attempts the worker said it runs, as [{"buildId": …, "attempt": …}].
  running jsonb not null,
  started_at timestamptz,
  stopping boolean not null,
  -- When the worker sent its newest applied heartbeat (its clock): older ones are dropped.
  heartbeat_at timestamptz not null,
  first_seen timestamptz not null,
  last_seen timestamptz not null
);

-- Every move of every build, in the order it was written.
create table scheduler.transitions (
  id bigserial primary key,
  build_id text not null references scheduler.builds (id),
  attempt int not null,
  from_state text,
  to_state text not null,
  reason text not null,
  worker_id text,
  at timestamptz not null
);

create index transitions_build on scheduler.transitions (build_id, id);

create table scheduler.outbox (
  id bigserial primary key,
  topic text not null,
  record_key text not null,
  payload bytea not null
);

create table scheduler.inbox (
  event_id uuid primary key,
  received_at timestamptz not null default now()
);
