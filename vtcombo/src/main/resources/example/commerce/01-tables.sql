-- Keyspace commerce (unsharded): the product catalogue and the sequences that number customers and
-- orders of the sharded keyspace customer, as in Vitess's local example.
create table if not exists product (
  sku varbinary(128),
  description varbinary(128),
  price bigint,
  primary key(sku)
) engine=InnoDB;
create table if not exists customer_seq (id int, next_id bigint, cache bigint, primary key(id)) comment 'vitess_sequence';
insert ignore into customer_seq (id, next_id, cache) values (0, 1, 1000);
create table if not exists order_seq (id int, next_id bigint, cache bigint, primary key(id)) comment 'vitess_sequence';
insert ignore into order_seq (id, next_id, cache) values (0, 1, 1000);
