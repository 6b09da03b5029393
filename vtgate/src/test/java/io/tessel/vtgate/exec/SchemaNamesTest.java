package io.tessel.vtgate.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.tessel.proto.Query.BindVariable;
import io.tessel.proto.Query.Type;
import io.tessel.vtgate.sql.Tokenizer;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which database an introspection statement is about, as the drivers and the CLI write them. */
class SchemaNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "SHOW FULL TABLES FROM `commerce` LIKE 'product'           | commerce",
        "show tables in commerce                                   | commerce",
        "show tables                                               | -",
        "SHOW FULL COLUMNS FROM `product` FROM `commerce` LIKE '%' | commerce",
        "show columns from product                                 | -",
        "show columns from customer                                | -",
        "show columns from commerce.product                        | commerce",
        "SHOW KEYS FROM `product` FROM `commerce`                  | commerce",
        "show index from `commerce`.`product`                      | commerce",
        "show indexes in product in commerce                       | commerce",
        "show create table commerce.product                        | commerce",
        "show create table product                                 | -",
        "show create database commerce                             | commerce",
        "show create database if not exists commerce               | commerce",
        "show table status from commerce like 'p%'                 | commerce",
        "show status like 'Ssl%'                                   | -",
        "show open tables from commerce                            | commerce",
        "describe commerce.product                                 | commerce",
        "desc product                                              | -",
        "show triggers from commerce                               | commerce",
        "show full processlist                                     | -"})
    void showStatements(String sql, String database) {
        assertEquals(Optional.ofNullable(database), SchemaNames.ofShow(Tokenizer.tokenize(sql)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'commerce' AND TABLE_NAME LIKE 'p%' | commerce",
        "select * from information_schema.columns c where c.table_schema = 'commerce' order by ordinal_position     | commerce",
        "select schema_name from information_schema.schemata where schema_name like 'commerce'                      | commerce",
        "select schema_name from information_schema.schemata where schema_name like 'comm%'                         | -",
        "select * from information_schema.tables where table_schema = database()                                    | -",
        "select * from information_schema.tables where table_schema = :v1                                           | customer",
        "select * from t where table_schema = 'commerce'                                                            | -",
        "select case when table_schema = 'mysql' then 1 end from information_schema.tables where table_schema = 'ks' | ks"})
    void informationSchemaQueries(String sql, String database) {
        Map<String, BindVariable> params = Map.of("v1", BindVariable.newBuilder().setType(Type.VARCHAR)
                .setValue(ByteString.copyFromUtf8("customer")).build());
        assertEquals(Optional.ofNullable(database),
                SchemaNames.ofInformationSchema(sql, Tokenizer.tokenize(sql), params).stream().findFirst());
    }
}
