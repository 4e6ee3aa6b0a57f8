-- Labels a worker must carry to run the build (spec.workerLabels), kept apart for the queue's filter.
alter table scheduler.builds add column worker_labels jsonb not null default '{}';

-- What the build is built from, for cache affinity (see scheduler.affinity).
alter table scheduler.builds add column source_key text;

-- When the build's current wait in the queue began: at submission, or at its last requeue. The
-- queue's time to live counts from here; queued_at (the first entry) keeps the build's place.
alter table scheduler.builds add column waiting_since timestamptz;
update scheduler.builds set waiting_since = queued_at;
alter table scheduler.builds alter column waiting_since set not null;

-- A stop the worker was told about and has not confirmed: why (USER_REQUESTED or TIMEOUT) and when.
alter table scheduler.builds add column stop_reason text;
alter table scheduler.builds add column stop_requested_at timestamptz;
update scheduler.builds set stop_reason = 'USER_REQUESTED', stop_requested_at = now()
  where cancel_requested;
alter table scheduler.builds drop column cancel_requested;

create index builds_queue_owner on scheduler.builds (owner) where state = 'QUEUED';
create index builds_queue_wait on scheduler.builds (waiting_since) where state = 'QUEUED';

-- When each owner last had a build assigned; fair share serves the least recent first on a tie.
create table scheduler.owners (
  owner text primary key,
  last_served_at timestamptz not null
);

-- The worker that last built each source successfully; the next build of it prefers that worker.
create table scheduler.affinity (
  source_key text primary key,
  worker_id text not null,
  built_at timestamptz not null
);
