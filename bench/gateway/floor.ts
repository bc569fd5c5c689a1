import http from 'node:http';
import http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { Pool } from 'pg';

/**
 * The floor of bench/gateway: the same request over the same hops with the least code on each (no
 * framework, auth, logging, metrics, mapping), to show what the hops alone cost. One file, three
 * roles (FLOOR_ROLE), each started by the bench as its own process:
 *   grpc-js — a bare grpc-js server (the applicants service's stand-in) that runs FLOOR_SQL, the
 *     raw-SQL path's statement, on a pg pool of 10 (the services' size) and returns the row;
 *   h2 — the same on node:http2 with gRPC's framing written by hand (length-prefixed message,
 *     grpc-status trailer; no deadlines, metadata or errors worth the name): what a gRPC hop could
 *     cost with less than grpc-js;
 *   http — a bare node:http server (the gateway's stand-in) answering GET /x/{id} with
 *     JSON.stringify of the row, got from FLOOR_GRPC_URL over one grpc-js channel or one http2
 *     session (FLOOR_CLIENT grpc-js | h2) or, without FLOOR_CLIENT, by running FLOOR_SQL itself.
 * JSON on the wire: for this row it is cheaper than the proto-loader codec (4.3 vs 4.9 µs per response
 * encoded and decoded, the protobuf side with its row mapping), and needs no .proto.
 */
const { FLOOR_ROLE, FLOOR_CLIENT, FLOOR_SQL, FLOOR_PORT, FLOOR_GRPC_URL, DATABASE_URL } = process.env;
const METHOD = '/floor.Floor/Get';
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const decode = (bytes: Buffer): unknown => JSON.parse(bytes.toString());
/** gRPC's message framing: uncompressed flag, 4-byte length, message. */
const frame = (value: unknown) => {
  const message = encode(value);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
};

type Get = (id: string) => Promise<unknown>;

function select(): Get {
  const pool = new Pool({ connectionString: DATABASE_URL, max: 10 });
  return async (id) => (await pool.query(FLOOR_SQL!, [id])).rows[0];
}

/** The whole body of an http2 stream, and the stream's end. */
function body(stream: http2.Http2Stream): Promise<Buffer> {
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  return new Promise((resolve, reject) => stream.on('end', () => resolve(Buffer.concat(parts))).on('error', reject));
}

/** Unary calls on one http2 session, opened again when it is gone (e.g. the server was not up yet). */
function h2Client(url: string): Get {
  let session: http2.ClientHttp2Session | undefined;
  return async (id) => {
    if (!session || session.closed || session.destroyed) session = http2.connect(`http://${url}`).on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': METHOD, 'content-type': 'application/grpc', te: 'trailers' });
    stream.end(frame(id));
    const bytes = await body(stream);
    if (!bytes.length) throw new Error('no message');
    return decode(bytes.subarray(5));
  };
}

function grpcJsClient(url: string): Get {
  const client = new grpc.Client(url, grpc.credentials.createInsecure());
  return (id) => new Promise((resolve, reject) => client.makeUnaryRequest(METHOD, encode, decode, id, (error, row) => (error ? reject(error) : resolve(row))));
}

if (FLOOR_ROLE === 'grpc-js') {
  const query = select();
  const server = new grpc.Server();
  const method = { path: METHOD, requestStream: false, responseStream: false, requestSerialize: encode, requestDeserialize: decode, responseSerialize: encode, responseDeserialize: decode };
  server.addService({ get: method }, {
    get: (call: grpc.ServerUnaryCall<string, unknown>, done: grpc.sendUnaryData<unknown>) => {
      void query(call.request).then((row) => done(null, row), (error: Error) => done(error));
    },
  });
  server.bindAsync(`127.0.0.1:${FLOOR_PORT}`, grpc.ServerCredentials.createInsecure(), (error) => {
    if (error) throw error;
  });
} else if (FLOOR_ROLE === 'h2') {
  const query = select();
  http2
    .createServer()
    .on('stream', (stream) => {
      void body(stream)
        .then((bytes) => query(decode(bytes.subarray(5)) as string))
        .then(
          (row) => {
            stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
            stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
            stream.end(frame(row));
          },
          () => stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '13' }, { endStream: true }),
        );
    })
    .listen(Number(FLOOR_PORT), '127.0.0.1');
} else {
  const get = FLOOR_CLIENT === 'grpc-js' ? grpcJsClient(FLOOR_GRPC_URL!) : FLOOR_CLIENT === 'h2' ? h2Client(FLOOR_GRPC_URL!) : select();
  http
    .createServer((req, res) => {
      void get(req.url!.slice('/x/'.length)).then(
        (row) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(row)),
        () => res.writeHead(500).end(),
      );
    })
    .listen(Number(FLOOR_PORT), '127.0.0.1');
}
