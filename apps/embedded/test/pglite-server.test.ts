import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

// The embedded database is one PGlite session shared by every service's pool. Many connections
// at once must each get their own answers and their own transactions, as from a real server.
// PGlite loads WebAssembly through dynamic imports, which jest's VM refuses: the server runs in
// a child process (the built code), the clients here. On disk, as `npm start` keeps it: file
// writes are where PGlite yields, and so where connections used to cut into each other.
const built = path.resolve(__dirname, '../../../dist/apps/embedded/src/pglite-server.js');
const serve = `
  const { PGlite } = require('@electric-sql/pglite');
  const { PGliteServer } = require(${JSON.stringify(built)});
  PGlite.create(process.argv[1]).then(async (db) => {
    const address = await new PGliteServer(db, { host: '127.0.0.1', port: 0, maxConnections: 20 }).start();
    process.stdout.write(address + '\\n');
  });
`;
let child: ChildProcess;
let dataDir: string;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pace-pglite-server-'));
  child = spawn(process.execPath, ['-e', serve, dataDir], { cwd: path.resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the database server exited with ${code}`)));
  });
  url = `postgres://postgres@${address}/postgres`;
  for (let i = 0; i < 8; i++) {
    const client = new Client({ connectionString: url });
    await client.connect();
    clients.push(client);
  }
  await clients[0]!.query('CREATE TABLE counter (who int NOT NULL, n int NOT NULL)');
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

/** A raw protocol client, to send one extended-protocol batch in two parts, as TCP may deliver it. */
async function rawConnection(): Promise<{ send: (...messages: Buffer[]) => void; until: (type: string) => Promise<Buffer>; socket: Socket }> {
  const [host, port] = url.slice('postgres://postgres@'.length, url.lastIndexOf('/')).split(':');
  const socket = connect(Number(port), host);
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  const until = async (type: string) => {
    for (let i = 0; i < 200; i++) {
      // Walk the messages; stop at the first of `type`, answering everything up to it.
      for (let at = 0; at + 5 <= received.length; at += 1 + received.readInt32BE(at + 1)) {
        if (String.fromCharCode(received[at]!) === type) {
          const upTo = received.subarray(0, at + 1 + received.readInt32BE(at + 1));
          received = received.subarray(upTo.length);
          return upTo;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${type} message`);
  };
  const startup = Buffer.from('\0\0\0\0\0\x03\0\0user\0postgres\0database\0postgres\0\0', 'binary');
  startup.writeInt32BE(startup.length, 0);
  socket.write(startup);
  await until('Z');
  return { send: (...messages) => socket.write(Buffer.concat(messages)), until, socket };
}

const message = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'binary');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
};
const cstr = (text: string) => Buffer.from(`${text}\0`, 'utf8');

describe('PGliteServer', () => {
  it('keeps a connection\'s Parse, Bind and Execute together even when they arrive apart', async () => {
    const raw = await rawConnection();
    // Parse and Bind of the unnamed statement now; Execute and Sync only after another connection
    // has had every chance to run its own statement in between.
    raw.send(message('P', Buffer.concat([cstr(''), cstr("SELECT 'mine' AS a"), Buffer.from([0, 0])])), message('B', Buffer.concat([cstr(''), cstr(''), Buffer.from([0, 0, 0, 0, 0, 0])])));
    const other = clients[0]!.query<{ b: string }>('SELECT $1::text AS b', ['theirs']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    raw.send(message('E', Buffer.concat([cstr(''), Buffer.from([0, 0, 0, 0])])), message('S', Buffer.alloc(0)));
    const answer = await raw.until('Z');
    expect(answer.toString('utf8')).toContain('mine');
    expect(answer.toString('utf8')).not.toContain('theirs');
    expect((await other).rows).toEqual([{ b: 'theirs' }]);
    raw.socket.destroy();
  });

  it('answers every connection\'s parameterised queries with its own results while all run at once', async () => {
    // Two statements that answer differently for the same parameters (one writes, so PGlite
    // flushes to disk and yields), so a Bind landing on another connection's Parse fails or
    // returns the wrong row.
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) => {
        const client = clients[i % clients.length]!;
        return i % 2
          ? client.query<{ n: number; s: string }>('SELECT $1::int AS n, $2::text AS s', [i, `row ${i}`]).then((r) => ({ i, row: r.rows[0] }))
          : client
              .query<{ n: number; s: string }>('INSERT INTO counter (who, n) VALUES (98, $1) RETURNING n * 1000 AS n, upper($2::text) AS s', [i, `row ${i}`])
              .then((r) => ({ i, row: r.rows[0] }));
      }),
    );
    const wrong = results.filter(({ i, row }) => (i % 2 ? row?.n !== i || row.s !== `row ${i}` : row?.n !== i * 1000 || row.s !== `ROW ${i}`));
    expect(wrong).toEqual([]);
  });

  it('keeps each connection\'s transaction to itself: a rollback takes back only its own rows', async () => {
    await Promise.all(
      clients.map(async (client, who) => {
        for (let n = 0; n < 10; n++) {
          await client.query('BEGIN');
          await client.query('INSERT INTO counter (who, n) VALUES ($1, $2)', [who, n]);
          await client.query(who === 3 && n % 2 === 0 ? 'ROLLBACK' : 'COMMIT');
        }
      }),
    );
    const rows = (await clients[0]!.query<{ who: number; count: string }>('SELECT who, count(*) FROM counter WHERE who < 90 GROUP BY who ORDER BY who')).rows;
    expect(rows.map((r) => [r.who, Number(r.count)])).toEqual(clients.map((_, who) => [who, who === 3 ? 5 : 10]));
  });

  it('rolls back what a vanished connection left open, and serves the others on', async () => {
    const doomed = new Client({ connectionString: url });
    await doomed.connect();
    doomed.on('error', () => undefined); // it is about to lose its connection
    await doomed.query('BEGIN');
    await doomed.query('INSERT INTO counter (who, n) VALUES (99, 1)');
    // Another connection waits for the open transaction, as it would wait for a lock.
    const waiting = clients[1]!.query<{ count: string }>('SELECT count(*) FROM counter WHERE who = 99');
    (doomed as unknown as { connection: { stream: { destroy: () => void } } }).connection.stream.destroy();
    expect(Number((await waiting).rows[0]!.count)).toBe(0);
    await doomed.end().catch(() => undefined);
  });
});
