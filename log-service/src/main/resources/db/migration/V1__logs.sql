create table logs.log_lines (
  build_id text not null,
  attempt int not null,
  seq bigint not null,
  primary key (build_id, attempt, seq)
);
