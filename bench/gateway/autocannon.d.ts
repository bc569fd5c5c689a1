// The few parts of autocannon (no bundled types) this benchmark uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }

  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: (RequestParams & { setupRequest?: (req: RequestParams) => RequestParams })[];
  }

  type Instance = EventEmitter & PromiseLike<unknown>;

  function autocannon(options: Options): Instance;
  export default autocannon;
}
