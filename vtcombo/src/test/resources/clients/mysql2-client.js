// The node mysql2 client against vtgate (run by NodeMysql2ClientIT): connects to the sharded keyspace
// given by TESSEL_PORT/TESSEL_DATABASE and runs DDL, DML, a transaction, query() with client-side
// placeholders, execute() with server-side prepared statements, introspection and a large value.
// Prints one "ok <step>" line per step; any failure exits non-zero with the error.
'use strict';
const mysql = require('mysql2/promise');
const assert = require('assert');
const crypto = require('crypto');

async function main() {
  const c = await mysql.createConnection({
    host: '127.0.0.1', port: Number(process.env.TESSEL_PORT), user: 'root', password: '',
    database: process.env.TESSEL_DATABASE, supportBigNumbers: true, bigNumberStrings: true,
  });
  const step = (name) => console.log('ok ' + name);

  await c.query('drop table if exists node_item');
  await c.query('create table node_item (id bigint not null primary key, name varchar(64) not null, ' +
    'price decimal(10,2), created datetime(6), qty int default 0, note mediumtext, data longblob, ' +
    'key node_item_name (name)) default charset utf8mb4');
  step('ddl');

  const values = [];
  for (let id = 1; id <= 10; id++) values.push([id, 'item' + id, id + '.25', id * 10]);
  const [ins] = await c.query('insert into node_item (id, name, price, qty) values ?', [values]);
  assert.strictEqual(ins.affectedRows, 10);
  const [upd] = await c.query('update node_item set qty = qty + 1 where id = ?', [3]);
  assert.strictEqual(upd.affectedRows, 1);
  await c.query('delete from node_item where id = 10');
  const [count] = await c.query('select count(*) as n, sum(qty) as total from node_item');
  assert.deepStrictEqual([String(count[0].n), String(count[0].total)], ['9', '451']);
  step('dml');

  await c.beginTransaction();
  await c.query('insert into node_item (id, name) values (101, ?), (102, ?), (103, ?), (104, ?)', ['tx', 'tx', 'tx', 'tx']);
  await c.rollback();
  let [tx] = await c.query("select count(*) as n from node_item where name = 'tx'");
  assert.strictEqual(String(tx[0].n), '0');
  await c.beginTransaction();
  await c.query('insert into node_item (id, name) values (101, ?), (102, ?), (103, ?), (104, ?)', ['tx', 'tx', 'tx', 'tx']);
  await c.commit();
  [tx] = await c.query("select count(*) as n from node_item where name = 'tx'");
  assert.strictEqual(String(tx[0].n), '4');
  step('transactions');

  for (let id = 200; id < 220; id++) {
    await c.execute('insert into node_item (id, name, price, created) values (?, ?, ?, ?)',
      [id, 'prepared' + id, '9.50', new Date(Date.UTC(2024, 1, 29, 10, 11, 12))]);
  }
  const [one] = await c.execute('select id, name, price from node_item where id = ?', [205]);
  assert.deepStrictEqual(one.map(r => [String(r.id), r.name, r.price]), [['205', 'prepared205', '9.50']]);
  const [many] = await c.execute('select count(*) as n from node_item where name like ? and qty = ?', ['prepared%', 0]);
  assert.strictEqual(String(many[0].n), '20');
  const [changed] = await c.execute('update node_item set qty = ? where id in (?, ?)', [5, 201, 202]);
  assert.strictEqual(changed.affectedRows, 2);
  step('prepared');

  const [cols] = await c.query("select column_name as name from information_schema.columns " +
    "where table_schema = 'customer' and table_name = 'node_item' order by ordinal_position");
  assert.deepStrictEqual(cols.map(r => r.name), ['id', 'name', 'price', 'created', 'qty', 'note', 'data']);
  const [full] = await c.query('show full columns from node_item');
  assert.strictEqual(full[0].Field, 'id');
  const [idx] = await c.query('show index from node_item');
  assert.deepStrictEqual(idx.map(r => r.Key_name), ['PRIMARY', 'node_item_name']);
  const [other] = await c.query('show tables from commerce');
  assert.deepStrictEqual(other.map(r => Object.values(r)[0]), ['product']);
  step('metadata');

  const blob = crypto.randomBytes(3 * 1024 * 1024);
  await c.execute('insert into node_item (id, name, data) values (?, ?, ?)', [500, 'large', blob]);
  const [big] = await c.execute('select data, length(data) as n from node_item where id = ?', [500]);
  assert.ok(Buffer.compare(big[0].data, blob) === 0, 'the 3 MB value reads back unchanged');
  const [bigText] = await c.query('select data from node_item where id = 500');
  assert.ok(Buffer.compare(bigText[0].data, blob) === 0, 'also through the text protocol');
  step('large values');

  const [warned] = await c.query("select cast('12abc' as signed) as n");
  assert.strictEqual(String(warned[0].n), '12');
  const [warnings] = await c.query('show warnings');
  assert.strictEqual(warnings[0].Code, 1292);
  step('warnings');

  await c.end();
}

main().catch((e) => {
  console.error('FAILED: ' + (e && e.stack || e));
  process.exit(1);
});
