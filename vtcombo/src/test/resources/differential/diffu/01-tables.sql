-- Unsharded keyspace "diffu"; the plain MariaDB gets the same DDL in database diffu.
create table u1 (
  id bigint auto_increment primary key,
  t1_id bigint,
  tag varchar(16) collate utf8mb4_general_ci,
  val decimal(8,3)
) default charset=utf8mb4 collate=utf8mb4_general_ci;

create table u1_seq (id int, next_id bigint, cache bigint, primary key (id)) comment 'vitess_sequence';
insert into u1_seq values (0, 1, 1000);

create table t5_seq (id int, next_id bigint, cache bigint, primary key (id)) comment 'vitess_sequence';
insert into t5_seq values (0, 1, 1000);
