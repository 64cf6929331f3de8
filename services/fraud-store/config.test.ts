import { configFromEnv } from './config';

describe('configFromEnv', () => {
  it('defaults to local services', () => {
    expect(configFromEnv({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      registryUrl: 'http://127.0.0.1:8081',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      port: 8082,
      host: '127.0.0.1',
      topics: { scored: 'fraud.scored', alerts: 'fraud.alerts' },
      groupId: 'fraud-store',
    });
  });

  it('reads every setting from the environment', () => {
    const env = {
      KAFKA_BROKERS: 'k1:9092,k2:9093',
      SCHEMA_REGISTRY_URL: 'http://registry:8081',
      DATABASE_URL: 'postgres://db/fraud',
      FRAUD_STORE_PORT: '9000',
      FRAUD_STORE_HOST: '0.0.0.0',
      TOPIC_NAMESPACE: 'run-7',
    };
    expect(configFromEnv(env)).toEqual({
      brokers: ['k1:9092', 'k2:9093'],
      registryUrl: 'http://registry:8081',
      databaseUrl: 'postgres://db/fraud',
      port: 9000,
      host: '0.0.0.0',
      topics: { scored: 'run-7.fraud.scored', alerts: 'run-7.fraud.alerts' },
      groupId: 'run-7.fraud-store',
    });
  });

  it('refuses a port that is not one', () => {
    expect(() => configFromEnv({ FRAUD_STORE_PORT: '80a' })).toThrow(/FRAUD_STORE_PORT must be a TCP port/);
    expect(() => configFromEnv({ FRAUD_STORE_PORT: '70000' })).toThrow(/FRAUD_STORE_PORT/);
    expect(() => configFromEnv({ KAFKA_BROKERS: 'nohost' })).toThrow(/host:port/);
    expect(() => configFromEnv({ TOPIC_NAMESPACE: 'a/b' })).toThrow(/topic namespace "a\/b"/);
  });
});
