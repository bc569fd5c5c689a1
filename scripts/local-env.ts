import type { ServiceDefinition } from '@pace/platform';

/**
 * Where each service listens on one machine, as the variables other services read
 * (`APPLICANTS_URL`; `APPLICANTS_GRPC_URL` for services serving gRPC). Used by the embedded runner
 * and `start:stack`. `PACE_PORT_OFFSET` shifts every port, to run a second copy (or a test)
 * beside a running one.
 */
export function localServiceUrls(services: ServiceDefinition[], portOffset = 0, host = '127.0.0.1'): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const s of services) {
    const name = s.name.toUpperCase().replace(/-/g, '_');
    urls[`${name}_URL`] = `http://${host}:${s.defaultPort + portOffset}`;
    if (s.defaultGrpcPort) urls[`${name}_GRPC_URL`] = `${host}:${s.defaultGrpcPort + portOffset}`;
  }
  return urls;
}

export function portOffset(): number {
  const offset = Number(process.env.PACE_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 60000) throw new Error('PACE_PORT_OFFSET must be a whole number from 0 to 60000');
  return offset;
}
