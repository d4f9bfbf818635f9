/**
 * loadConfig with the base and JWT schemas: missing or empty variables are named, every problem is
 * reported at once, defaults apply, and bad values are refused without echoing them.
 */
import { z } from 'zod';
import { baseConfigSchema, ConfigError, jwtConfigSchema, loadConfig } from './config';

const schema = baseConfigSchema.extend(jwtConfigSchema.shape);

/** The smallest environment a service starts with; each test changes what it is about. */
function buildEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    MONGO_URI: 'mongodb://127.0.0.1:27017/tickets?replicaSet=rs0',
    NATS_URL: 'nats://127.0.0.1:4222',
    JWT_KEY: 'a-secret',
    ...overrides,
  };
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('names a missing JWT_KEY in the error message', () => {
    const env = buildEnv({ JWT_KEY: undefined });

    expect(() => loadConfig(schema, env)).toThrow(ConfigError);
    expect(() => loadConfig(schema, env)).toThrow(/JWT_KEY is required/);
  });

  it('treats an empty JWT_KEY as missing', () => {
    expect(problemsOf(buildEnv({ JWT_KEY: '' }))).toEqual(['JWT_KEY is required']);
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({ PORT: 'eighty' });

    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        'MONGO_URI is required',
        'NATS_URL is required',
        'JWT_KEY is required',
        expect.stringMatching(/^PORT: /),
      ]),
    );
  });

  it('applies the defaults of unset variables', () => {
    const config = loadConfig(schema, buildEnv());

    expect(config).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      LOG_LEVEL: 'info',
      MONGO_URI: 'mongodb://127.0.0.1:27017/tickets?replicaSet=rs0',
      NATS_URL: 'nats://127.0.0.1:4222',
      JWT_KEY: 'a-secret',
      LISTENER_CONCURRENCY: 16,
    });
  });

  it('reads a valid PORT as a number', () => {
    expect(loadConfig(schema, buildEnv({ PORT: '4001' })).PORT).toBe(4001);
  });

  it.each(['http', '70000', '-1', '30.5'])('rejects PORT=%s', (port) => {
    expect(problemsOf(buildEnv({ PORT: port }))).toEqual([expect.stringMatching(/^PORT: /)]);
  });

  it('uses the default for an empty PORT instead of a random port', () => {
    expect(loadConfig(schema, buildEnv({ PORT: '' })).PORT).toBe(3000);
  });

  it('rejects a MONGO_URI that is not a mongodb:// URI, without echoing its value', () => {
    const problems = problemsOf(buildEnv({ MONGO_URI: 'postgres://user:pw@db/tickets' }));

    expect(problems).toEqual(['MONGO_URI: must be a mongodb:// URI']);
  });

  it('rejects an unknown LOG_LEVEL', () => {
    expect(problemsOf(buildEnv({ LOG_LEVEL: 'verbose' }))).toEqual([
      expect.stringMatching(/^LOG_LEVEL: /),
    ]);
  });

  it('validates the variables a service adds to the schema', () => {
    const ordersSchema = schema.extend({
      ORDER_EXPIRATION_SECONDS: z.coerce.number().int().positive().default(900),
    });

    expect(loadConfig(ordersSchema, buildEnv()).ORDER_EXPIRATION_SECONDS).toBe(900);
    expect(() => loadConfig(ordersSchema, buildEnv({ ORDER_EXPIRATION_SECONDS: 'soon' }))).toThrow(
      /ORDER_EXPIRATION_SECONDS: /,
    );
  });
});
