import { Agent, createServer, request } from 'node:http';

/**
 * bench/search's floor, gateway hop: the least a relay can be. A bare node:http server (no
 * framework, auth, validation or logging) that forwards each GET to FLOOR_TARGET on a kept-alive
 * connection and pipes the answer back as it comes.
 */
const target = process.env.FLOOR_TARGET!;
const agent = new Agent({ keepAlive: true });
// The bench stops it with SIGTERM: exit normally, so that --cpu-prof (BENCH_PROFILE) writes its profile.
process.on('SIGTERM', () => process.exit(0));

createServer((req, res) => {
  request(`${target}${req.url}`, { agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'text/plain', 'content-length': answer.headers['content-length'] ?? 0 });
    answer.pipe(res);
  })
    .on('error', (error) => res.writeHead(502).end(error.message))
    .end();
}).listen(Number(process.env.PORT), '127.0.0.1');
