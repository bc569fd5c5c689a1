import { ConfigError, describeConfig, env, loadConfig, secret, z } from '@pace/config';

const schema = z.object({
  PORT: env.port(3000),
  DATABASE_URL: env.databaseUrl(),
  API_KEY: secret(z.string().min(10)),
  LOG_LEVEL: env.logLevel(),
});

describe('loadConfig', () => {
  it('names every missing and invalid variable in one message, without secret values', () => {
    let error: unknown;
    try {
      loadConfig('demo', schema, { PORT: 'abc', API_KEY: 'short-key' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT is invalid');
    expect(message).toContain('"abc"');
    expect(message).toContain('DATABASE_URL is missing');
    expect(message).toContain('API_KEY is invalid');
    expect(message).not.toContain('short-key');
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('returns a frozen, typed object with defaults applied', () => {
    const config = loadConfig('demo', schema, { DATABASE_URL: 'postgres://u:p@h/db', API_KEY: 'a-long-secret' });
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe('info');
    expect(Object.isFrozen(config)).toBe(true);
    expect(describeConfig(schema, config)).toMatchObject({ DATABASE_URL: '***', API_KEY: '***', PORT: 3000 });
  });

  it('treats an empty variable as unset', () => {
    expect(() => loadConfig('demo', schema, { DATABASE_URL: '', API_KEY: 'a-long-secret' })).toThrow('DATABASE_URL is missing');
  });
});
