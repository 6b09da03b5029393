-- The example schema of vtcombo's default keyspace, commerce (as in Vitess's local example).
create table if not exists product (
  sku varbinary(128),
  description varbinary(128),
  price bigint,
  primary key(sku)
) engine=InnoDB;
create table if not exists customer (
  customer_id bigint not null auto_increment,
  email varbinary(128),
  primary key(customer_id)
) engine=InnoDB;
create table if not exists corder (
  order_id bigint not null auto_increment,
  customer_id bigint,
  sku varbinary(128),
  price bigint,
  primary key(order_id)
) engine=InnoDB;
