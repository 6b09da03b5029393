-- Sharded keyspace "diff" (4 shards in DifferentialIT); the plain MariaDB gets the same DDL in database diff.
create table t1 (
  id bigint primary key,
  name varchar(64) collate utf8mb4_general_ci,
  grp varchar(16) collate utf8mb4_general_ci,
  amount decimal(10,2),
  qty int,
  score double,
  created date,
  flag tinyint
) default charset=utf8mb4 collate=utf8mb4_general_ci;

create table t2 (
  id bigint primary key,
  t1_id bigint,
  label varchar(32) collate utf8mb4_general_ci,
  score int
) default charset=utf8mb4 collate=utf8mb4_general_ci;

create table t3 (
  t1_id bigint,
  seq int,
  note varchar(32) collate utf8mb4_general_ci,
  primary key (t1_id, seq)
) default charset=utf8mb4 collate=utf8mb4_general_ci;

-- ids from the sequence diffu.t5_seq through vtgate; the plain MariaDB numbers them with auto_increment.
create table t5 (
  id bigint auto_increment primary key,
  t1_id bigint,
  tag varchar(16) collate utf8mb4_general_ci
) default charset=utf8mb4 collate=utf8mb4_general_ci;

-- a reference table: the same rows on every shard, loaded directly
create table ref (
  code varchar(16) collate utf8mb4_general_ci primary key,
  descr varchar(32) collate utf8mb4_general_ci,
  weight int
) default charset=utf8mb4 collate=utf8mb4_general_ci;

-- rows with hash keys 1..6, placed by vtgate and checked on each shard's MariaDB
create table hkey (
  id bigint primary key,
  note varchar(16)
) default charset=utf8mb4 collate=utf8mb4_general_ci;
