# Turn every sql/*.sql file into a C array entry of OUT, so the binary
# carries its reports and schema and needs no files at run time
# (analyze/sql_embed.h; names without ".sql").  -DOUT=... -DSQL_DIR=...
set(DIR ${SQL_DIR})
set(GLOB "*.sql")
set(NAME_WE ON)
set(SYMBOL wt_sql_files)
set(STRUCT wt_sql_file)
set(HEADER sql_embed.h)
include(${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)
