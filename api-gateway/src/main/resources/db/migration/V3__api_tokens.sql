-- API tokens. Only a SHA-256 of each token is kept: tokens are 256 random bits, so a fast hash
-- is as safe as a slow one, and the plain token is shown once, when it is made.
create table gateway.api_tokens (
  id text primary key,
  name text not null,
  role text not null check (role in ('admin', 'user')),
  token_hash text not null unique,
  created_at timestamptz not null,
  created_by text not null,
  revoked_at timestamptz
);

create index builds_by_owner on gateway.builds (owner, id desc);
