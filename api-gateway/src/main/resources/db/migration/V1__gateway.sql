-- Uploaded build contexts; the bytes live in the data directory under contexts/sha256/<hex>.
create table gateway.contexts (
  digest text primary key,
  size bigint not null,
  gzip boolean not null,
  created_at timestamptz not null default now()
);

-- Builds as submitted (secret values removed) and their status, projected from kiln.build.status.v1.
-- Ids are UUIDv7: ordering by id is ordering by submission time.
create table gateway.builds (
  id uuid primary key,
  owner text not null,
  spec jsonb not null,
  status text not null,
  attempt int not null,
  worker text,
  reason text,
  image jsonb,
  error jsonb,
  created_at timestamptz not null,
  queued_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null
);

create index builds_by_status on gateway.builds (status, id desc);

-- OCI archives of builds that did not push; the file is images/<build id>.tar in the data directory.
create table gateway.image_archives (
  build_id uuid primary key references gateway.builds (id),
  digest text not null,
  size bigint not null,
  created_at timestamptz not null default now()
);

-- Events written with the state they announce, published by the outbox relay.
create table gateway.outbox (
  id bigserial primary key,
  topic text not null,
  record_key text not null,
  payload bytea not null
);

-- Status events already applied, so a redelivery changes nothing.
create table gateway.inbox (
  event_id uuid primary key
);
