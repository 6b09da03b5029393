-- Keyspace commerce, sharded by customer_id: applied to every shard's MySQL at its first start
-- (docker-compose and the Kubernetes manifests mount it into /docker-entrypoint-initdb.d).
create table if not exists customer (
  customer_id bigint not null,
  email varbinary(128),
  primary key (customer_id)
) engine=InnoDB;
create table if not exists corder (
  order_id bigint not null,
  customer_id bigint not null,
  sku varbinary(128),
  price bigint,
  primary key (order_id)
) engine=InnoDB;
