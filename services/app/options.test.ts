import { DEFAULT_DURATION_MS, parseCommandLine, type AppOptions } from './options';

function parse(argv: string[], env: Record<string, string> = {}): AppOptions {
  const parsed = parseCommandLine(argv, env);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.options;
}

describe('npm start options', () => {
  it('runs embedded on 127.0.0.1:3000 by default, watchable: 25 payments/s for an hour, 20 of every scenario and behavioural fraud', () => {
    expect(parse([])).toEqual({
      kafka: undefined,
      databaseUrl: undefined,
      dataDir: undefined,
      registryUrl: undefined,
      port: 3000,
      host: '127.0.0.1',
      namespace: '',
      model: undefined,
      logRetention: { ms: 3_600_000, bytes: 4 * 1_048_576 },
      simulation: { rate: 25, durationMs: DEFAULT_DURATION_MS, mix: 'both', fraudRate: 3, scenarios: 20, seed: undefined },
    });
    expect(parse(['--mix', 'behavioural', '--fraud-rate', '10', '--duration', '2d']).simulation).toMatchObject({ mix: 'behavioural', fraudRate: 10, durationMs: 2 * 86_400_000 });
    expect(parse(['--mix', 'rules']).simulation).toMatchObject({ mix: 'rules' });
  });

  it('keeps the embedded database in --data-dir (or DATA_DIR), never beside --database-url', () => {
    expect(parse(['--data-dir', '/var/lib/peregrine']).dataDir).toBe('/var/lib/peregrine');
    expect(parse([], { DATA_DIR: 'data' }).dataDir).toBe('data');
    expect(() => parse(['--data-dir', 'data', '--database-url', 'postgres://127.0.0.1/test'])).toThrow(/--data-dir/);
  });

  it('takes the in-memory log retention as a duration and bytes per partition', () => {
    expect(parse(['--log-retention', '15m', '--log-retention-bytes', '1048576']).logRetention).toEqual({ ms: 900_000, bytes: 1_048_576 });
    expect(() => parse(['--log-retention', 'forever'])).toThrow(/--log-retention/);
    expect(() => parse(['--log-retention-bytes', '1MB'])).toThrow(/--log-retention-bytes/);
  });

  it('takes Kafka, PostgreSQL, the registry, the port and the host from flags or the environment, flags first', () => {
    const env = {
      KAFKA_BROKERS: '10.0.0.1:9092',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
      PORT: '8080',
      HOST: '0.0.0.0',
      SIMULATOR_RATE: '100',
    };
    expect(parse([], env)).toMatchObject({
      kafka: ['10.0.0.1:9092'],
      databaseUrl: env.DATABASE_URL,
      registryUrl: env.SCHEMA_REGISTRY_URL,
      port: 8080,
      host: '0.0.0.0',
      simulation: { rate: 100 },
    });
    expect(parse(['--kafka', '127.0.0.1:9092,127.0.0.1:9094', '--port', '0', '--rate', '5', '--duration', '15m', '--seed', 's1'], env)).toMatchObject({
      kafka: ['127.0.0.1:9092', '127.0.0.1:9094'],
      port: 0,
      simulation: { rate: 5, durationMs: 15 * 60_000, seed: 's1' },
    });
    // An empty variable is as good as none.
    expect(parse([], { KAFKA_BROKERS: '', PORT: '' })).toMatchObject({ kafka: undefined, port: 3000 });
  });

  it('takes the model directory from --model or MODEL, the flag first', () => {
    expect(parse(['--model', 'models/a'], { MODEL: 'models/b' }).model).toBe('models/a');
    expect(parse([], { MODEL: 'models/b' }).model).toBe('models/b');
  });

  it('answers --help', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ help: true });
  });

  it.each([
    [['--kafka', 'broker'], {}, 'Kafka broker "broker" is not host:port'],
    [[], { PORT: '70000' }, '--port (PORT) must be an integer from 0 to 65535, got "70000"'],
    [['--rate', '0'], {}, '--rate (SIMULATOR_RATE) must be an integer from 1'],
    [['--rate', '2.5'], {}, '--rate (SIMULATOR_RATE) must be an integer'],
    [['--scenarios', 'many'], {}, '--scenarios must be an integer'],
    [['--duration', 'forever'], {}, '--duration must look like 90s, 15m, 2h or 7d'],
    [['--mix', 'all'], {}, '--mix must be one of rules, behavioural, both, got "all"'],
    [['--fraud-rate', '200'], {}, '--fraud-rate must be a number from 0 to 100, got "200"'],
    [['--fraud-rate', ''], {}, '--fraud-rate must be a number from 0 to 100'],
    [['--mix', 'rules', '--fraud-rate', '5'], {}, '--fraud-rate is the behavioural fraud: give --mix behavioural or both'],
    [['--mix', 'behavioural', '--scenarios', '5'], {}, '--scenarios is the rule scenarios: give --mix rules or both'],
    [[], { DATABASE_URL: 'mysql://db' }, '--database-url (DATABASE_URL) must be a postgres: or postgresql: URL'],
    [['--registry', 'not a url'], {}, '--registry (SCHEMA_REGISTRY_URL) must be a URL'],
    [['--namespace', 'a b'], {}, 'topic namespace "a b" may only hold'],
    [['--colour'], {}, "Unknown option '--colour'"],
  ])('rejects %p with %p: %s', (argv, env, message) => {
    expect(() => parseCommandLine(argv, env)).toThrow(message);
  });
});
