import { type ServerResponse, createServer } from 'node:http';
import { Client } from 'pg';
import type { Caller } from '../../services/listings/src/common/caller';
import { searchSqlOf } from './search-sql';

/**
 * bench/search's floor, listings hop: the least a search service can be. A bare node:http server
 * that builds the endpoint's very statement from the query string (for the caller in
 * FLOOR_CALLER), runs it with pg on one connection and answers the rows as JSON. No framework,
 * signed caller, mapping, ETag or logging.
 */
const caller = JSON.parse(process.env.FLOOR_CALLER!) as Caller;
const db = new Client({ connectionString: process.env.DATABASE_URL });
// The bench stops it with SIGTERM: exit normally, so that --cpu-prof (BENCH_PROFILE) writes its profile.
process.on('SIGTERM', () => process.exit(0));

async function search(qs: string): Promise<string> {
  const { sql, params } = searchSqlOf(caller, qs);
  return JSON.stringify((await db.query(sql, params)).rows);
}

const answer = (res: ServerResponse, status: number, body: string) =>
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);

void db.connect().then(() =>
  createServer((req, res) => {
    const [route, qs = ''] = (req.url ?? '').split('?', 2);
    if (route === '/health/ready') answer(res, 200, '{}');
    else if (route !== '/listings') answer(res, 404, '{}');
    else search(qs).then((body) => answer(res, 200, body), (error: unknown) => answer(res, 500, JSON.stringify(String(error))));
  }).listen(Number(process.env.PORT), '127.0.0.1'),
);
