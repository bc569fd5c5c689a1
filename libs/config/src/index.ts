import { z } from 'zod';

/**
 * Each service declares its environment as a zod object schema and parses it once at start.
 * Variables wrapped in `secret()` are never printed, neither in errors nor in `describeConfig`.
 */
const secretSchemas = new WeakSet<z.ZodType>();

export function secret<T extends z.ZodType>(schema: T): T {
  secretSchemas.add(schema);
  return schema;
}

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid environment for ${service}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function isSecret(schema: z.ZodType | undefined): boolean {
  let s: unknown = schema;
  // Optional/default wrappers keep the marking of the schema they wrap.
  while (s instanceof z.ZodType) {
    if (secretSchemas.has(s)) return true;
    const inner = (s as { def?: { innerType?: z.ZodType } }).def?.innerType;
    if (!inner) return false;
    s = inner;
  }
  return false;
}

/** Parses `env` against `schema`; throws one ConfigError listing every bad variable. */
export function loadConfig<S extends z.ZodObject>(service: string, schema: S, env: Env = process.env): Readonly<z.infer<S>> {
  const keys = Object.keys(schema.shape);
  const input: Env = {};
  for (const key of keys) {
    // An empty string is treated as unset, as shells and compose files often produce it.
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(root)');
      if (input[key] === undefined) return `${key} is missing`;
      const shown = isSecret(schema.shape[key] as z.ZodType) ? '(secret)' : JSON.stringify(input[key]);
      return `${key} is invalid (${issue.message}; got ${shown})`;
    });
    throw new ConfigError(service, problems);
  }
  return Object.freeze(result.data) as Readonly<z.infer<S>>;
}

/** A printable copy of a parsed config with secrets masked, for start-up logs. */
export function describeConfig<S extends z.ZodObject>(schema: S, config: z.infer<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    out[key] = isSecret(schema.shape[key] as z.ZodType) && value !== undefined ? '***' : value;
  }
  return out;
}

/** Common building blocks for service environments. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: () => z.url(),
  databaseUrl: () => secret(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
};

export { z };
