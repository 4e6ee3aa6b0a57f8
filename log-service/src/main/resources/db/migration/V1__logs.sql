-- One row per log line; (build, attempt, seq) is unique, so storing a chunk again adds nothing.
create table logs.log_lines (
  build_id text not null,
  attempt int not null,
  seq bigint not null,
  ts timestamptz not null,
  stream text not null,
  step int,
  text text not null,
  primary key (build_id, attempt, seq)
);

-- Per attempt: how many lines are stored, and its final seq once the chunk marked last arrived.
create table logs.attempts (
  build_id text not null,
  attempt int not null,
  last_seq bigint,
  complete boolean not null default false,
  line_count bigint not null default 0,
  primary key (build_id, attempt)
);

-- StepStarted and StepFinished, one row each per step of an attempt.
create table logs.steps (
  build_id text not null,
  attempt int not null,
  step int not null,
  event text not null check (event in ('started', 'finished')),
  stage int not null,
  stages int not null,
  step_index int not null,
  total int not null,
  instruction text not null,
  dockerfile_line int,
  cached boolean,
  failed boolean,
  duration_ms bigint,
  layer text,
  seq bigint not null,
  primary key (build_id, attempt, step, event)
);

-- The newest BuildStatusChanged of each build; progress orders statuses within an attempt
-- (0 queued, 1 assigned, 2 running, 3 terminal) so an older one never replaces a newer one.
create table logs.builds (
  build_id text primary key,
  status text not null,
  from_status text,
  attempt int not null,
  progress smallint not null,
  reason text,
  worker_id text,
  last_seq bigint,
  finished boolean not null,
  updated_at timestamptz not null
);
