package io.tessel.vtcombo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The MySQL behind one shard of a vtcombo cluster; the shard's data is in database {@code keyspace}. */
public record ShardMysql(String keyspace, String shard, MysqlInstance mysql) {
    /** A Connector/J URL straight to the shard's database, user and password included. */
    public String jdbcUrl() {
        return mysql.jdbcUrl(keyspace) + "&user=" + URLEncoder.encode(mysql.user(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(mysql.password(), StandardCharsets.UTF_8);
    }
}
