// duckdb_load.mjs DIR - run DIR/load_duckdb.sql (written by `wtrec analyze
// --export DIR`) in a fresh in-memory DuckDB, from DIR as the script asks,
// and print what was loaded, one tab-separated line each:
//   TABLE  *  rows  N
//   TABLE  COLUMN  TYPE  NULLABLE(YES|NO)  NON_NULL  EMPTY_STRINGS  SUM
// (EMPTY_STRINGS for VARCHAR columns, SUM for integer columns, else "-").
// The test compares these lines with the same figures computed by sqlite3
// from the database and from sql/schema.sql.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const dir = process.argv[2];
if (!dir) {
	console.error('usage: duckdb_load.mjs EXPORT_DIR');
	process.exit(2);
}
process.chdir(dir);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(readFileSync('load_duckdb.sql', 'utf8'));

const rows = async (sql) => (await c.runAndReadAll(sql)).getRowObjects();
const q = (name) => '"' + name.replaceAll('"', '""') + '"';
const cols = await rows(`SELECT table_name, column_name, data_type, is_nullable
	FROM information_schema.columns WHERE table_schema = 'main'
	ORDER BY table_name, ordinal_position`);
const tables = [...new Set(cols.map((r) => r.table_name))];
for (const t of tables) {
	const [{ n }] = await rows(`SELECT count(*)::VARCHAR AS n FROM ${q(t)}`);
	console.log([t, '*', 'rows', n].join('\t'));
}
for (const r of cols) {
	const col = q(r.column_name);
	const empty = r.data_type === 'VARCHAR' ? `sum((${col} = '')::INT)::VARCHAR` : `'-'`;
	const sum = r.data_type === 'BIGINT' ? `COALESCE(sum(${col})::VARCHAR, '0')` : `'-'`;
	const [v] = await rows(`SELECT count(${col})::VARCHAR AS nn,
		COALESCE(${empty}, '0') AS empty, ${sum} AS sum FROM ${q(r.table_name)}`);
	console.log([r.table_name, r.column_name, r.data_type, r.is_nullable,
		v.nn, v.empty, v.sum].join('\t'));
}
