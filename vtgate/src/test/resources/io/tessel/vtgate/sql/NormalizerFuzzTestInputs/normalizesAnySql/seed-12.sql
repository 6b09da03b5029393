/*vt+ QUERY_TIMEOUT_MS=10 */ select /*+ SET_VAR(x=1) */ a /*!50000 , 2 */ from t where j->>'$.a' = 3; select 4 # c
