-- What the gateway learned when it accepted a build: the lint findings of its Dockerfile, and the
-- catalog entry and commit it was made from.
alter table gateway.builds
  add column warnings jsonb,
  add column catalog text,
  add column catalog_commit text;
