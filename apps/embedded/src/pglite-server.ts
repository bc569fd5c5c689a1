import { type Server, type Socket, createServer } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/**
 * Serves one PGlite database over the PostgreSQL wire protocol to many client connections (every
 * service's pool), so the services use the same `pg` driver as in production.
 *
 * PGlite is a single backend session, so connections must take turns. `@electric-sql/pglite-socket`
 * (0.2.17) takes turns per *message* and keeps a connection's turn only inside a transaction:
 * another connection's `Parse` can land between one's `Parse` and `Bind`, which replaces the
 * unnamed statement ("unnamed prepared statement does not exist", parameters bound to the wrong
 * statement), and one failed message stalls its queue for good (electric-sql/pglite#1046, open).
 * Here a connection keeps its turn from its first message until the session answers
 * ReadyForQuery with no transaction open, as a backend of its own would; a connection that goes
 * away mid-transaction is rolled back.
 */
export class PGliteServer {
  private server?: Server;
  private owner: Connection | null = null;
  private readonly waiting: { conn: Connection; resume: () => void }[] = [];
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly db: PGlite,
    private readonly options: { host: string; port: number; maxConnections: number },
  ) {}

  async start(): Promise<string> {
    this.server = createServer((socket) => {
      const conn = new Connection(socket, this);
      this.connections.add(conn);
      socket.once('close', () => {
        this.connections.delete(conn);
        void this.release(conn, true);
      });
    });
    // Node refuses connections beyond this.
    this.server.maxConnections = this.options.maxConnections;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('the embedded database server has no TCP address');
    return `${address.address}:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const conn of this.connections) conn.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits until `conn` holds the session. */
  acquire(conn: Connection): Promise<void> {
    if (this.owner === null || this.owner === conn) {
      this.owner = conn;
      return Promise.resolve();
    }
    return new Promise((resume) => this.waiting.push({ conn, resume }));
  }

  /** Gives the session up when it is idle (or, on `gone`, rolls back what the connection left open). */
  async release(conn: Connection, gone = false): Promise<void> {
    if (this.owner !== conn) {
      if (gone) this.dropWaiter(conn);
      return;
    }
    // exec takes PGlite's query lock itself (inside runExclusive it would wait for itself).
    if (gone && this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
    this.owner = null;
    const next = this.waiting.shift();
    if (next) {
      this.owner = next.conn;
      next.resume();
    }
  }

  private dropWaiter(conn: Connection): void {
    const index = this.waiting.findIndex((w) => w.conn === conn);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  run(message: Uint8Array, onData: (data: Uint8Array) => void): Promise<void> {
    return this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData: onData }));
  }
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: Socket,
    private readonly server: PGliteServer,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const message = this.nextMessage();
      if (!message) return;
      this.chain = this.chain
        .then(() => this.handle(message))
        .catch(() => void this.socket.destroy());
    }
  }

  /** The next whole message: the startup packet has no type byte, every later one does. */
  private nextMessage(): { type: string; bytes: Buffer } | undefined {
    if (!this.started) {
      if (this.buffer.length < 8) return undefined;
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < length) return undefined;
      const bytes = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      const code = bytes.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) return { type: 'no-encryption', bytes };
      if (code === CANCEL_REQUEST) return { type: 'cancel', bytes };
      this.started = true;
      return { type: 'startup', bytes };
    }
    if (this.buffer.length < 5) return undefined;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return undefined;
    const bytes = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return { type: String.fromCharCode(bytes[0]!), bytes };
  }

  private async handle(message: { type: string; bytes: Buffer }): Promise<void> {
    if (this.socket.destroyed) return;
    if (message.type === 'no-encryption') return void this.socket.write('N');
    if (message.type === 'cancel' || message.type === 'X') return void this.socket.end();
    await this.server.acquire(this);
    // The last bytes answered: a turn ends when they are ReadyForQuery ('Z', length 5) with status
    // 'I' (idle, no transaction open), as after a Sync, a simple Query or the startup. A Flush, an
    // unfinished COPY or an open transaction keep the turn.
    let tail = Buffer.alloc(0);
    try {
      await this.server.run(new Uint8Array(message.bytes), (data) => {
        if (!data.length) return;
        tail = Buffer.concat([tail, Buffer.from(data.subarray(Math.max(0, data.length - 6)))]).subarray(-6);
        if (this.socket.writable) this.socket.write(data);
      });
    } finally {
      if (tail.length === 6 && tail[0] === 0x5a && tail.readInt32BE(1) === 5 && tail[5] === 0x49) await this.server.release(this);
    }
  }
}
