import { parseCli } from './cli-options';

describe('parseCli', () => {
  it('reads flags, with environment fallbacks for the connections', () => {
    const cli = parseCli(
      ['--rate', '0', '--count', '2000', '--seed', 'demo', '--scenarios', '3', '--late-ratio', '0.01', '--malformed', '9', '--out-of-order-ms', '1000', '--partitions', '8', '--namespace', 'demo-1'],
      { KAFKA_BROKERS: 'k1:9092', SCHEMA_REGISTRY_URL: 'http://reg:8081' },
    );
    expect(cli).toMatchObject({
      help: false,
      brokers: 'k1:9092',
      registryUrl: 'http://reg:8081',
      options: { rate: 0, count: 2_000, seed: 'demo', scenarios: 3, lateRatio: 0.01, malformed: 9, outOfOrderMs: 1_000, partitions: 8, namespace: 'demo-1' },
    });
    expect(parseCli(['--brokers', 'b:1', '--registry', 'http://r'], { KAFKA_BROKERS: 'k1:9092' })).toMatchObject({ brokers: 'b:1', registryUrl: 'http://r' });
    expect(parseCli(['--scenario-order', 'shortest-first'], {}).options.scenarioOrder).toBe('shortest-first');
    expect(parseCli(['--mix', 'behavioural', '--fraud-rate', '12.5'], {}).options).toMatchObject({ mix: 'behavioural', fraudRate: 12.5 });
    expect(parseCli([], {})).toMatchObject({ brokers: '127.0.0.1:9092', registryUrl: 'http://127.0.0.1:8081' });
  });

  it('refuses unknown flags, non-numbers, and a count with a duration', () => {
    expect(() => parseCli(['--speed', '3'], {})).toThrow(/speed/);
    expect(() => parseCli(['--rate', 'fast'], {})).toThrow('--rate must be a number, got "fast"');
    expect(() => parseCli(['--count', '5', '--duration', '5m'], {})).toThrow('give --count or --duration, not both');
    expect(() => parseCli(['--fraud-rate', 'many'], {})).toThrow('--fraud-rate must be a number, got "many"');
  });

  it('refuses settings of the fraud a mix leaves out', () => {
    expect(() => parseCli(['--mix', 'rules', '--fraud-rate', '5'], {})).toThrow('--fraud-rate is the behavioural fraud: give --mix behavioural or both');
    expect(() => parseCli(['--mix', 'behavioural', '--scenarios', '5'], {})).toThrow('--scenarios and --scenario-order are the rule scenarios');
    expect(() => parseCli(['--mix', 'behavioural', '--scenario-order', 'shortest-first'], {})).toThrow('--scenarios and --scenario-order are the rule scenarios');
  });

  it('writes a file with --out, and refuses a broker or a registry beside it', () => {
    expect(parseCli(['--out', 'history.avro'], {}).out).toBe('history.avro');
    expect(() => parseCli(['--out', 'history.avro', '--brokers', 'b:9092'], {})).toThrow('--out writes a file');
  });
});
