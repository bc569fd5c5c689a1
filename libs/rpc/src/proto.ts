import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where `proto/` is: the repository root in development and tests (sources or dist/), the image's
 * working directory in a container. Found by walking up, so src/ and dist/ both work.
 */
export function protoRoot(start = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'proto', 'pace'))) return path.join(dir, 'proto');
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`proto/ not found above ${start}`);
    dir = parent;
  }
}

/** How every gRPC contract is loaded: camelCase fields, defaults filled in, enums as names. */
export const protoLoaderOptions = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, arrays: true };

export interface GrpcContract {
  /** Proto package, e.g. `pace.applicants.v1`. */
  package: string;
  /** Service name inside the package. */
  service: string;
  /** Path of the .proto file under proto/. */
  file: string;
}
