-- Keyspace customer (sharded by customer_id): customers and their orders, applied to every shard.
create table if not exists customer (
  customer_id bigint,
  email varbinary(128),
  primary key(customer_id)
) engine=InnoDB;
create table if not exists corder (
  order_id bigint,
  customer_id bigint,
  sku varbinary(128),
  price bigint,
  primary key(order_id)
) engine=InnoDB;
