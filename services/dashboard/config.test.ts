import { dashboardConfig } from './config';

describe('dashboardConfig', () => {
  it('defaults to local services on port 8084', () => {
    expect(dashboardConfig({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      registryUrl: 'http://127.0.0.1:8081',
      port: 8084,
      host: '127.0.0.1',
      topics: { scored: 'fraud.scored', alerts: 'fraud.alerts' },
      groupId: 'peregrine-dashboard',
      flushMs: 200,
    });
  });

  it('reads every setting from the environment', () => {
    const env = {
      KAFKA_BROKERS: 'k1:9092,k2:9093',
      SCHEMA_REGISTRY_URL: 'http://registry:8081',
      DASHBOARD_PORT: '9000',
      DASHBOARD_HOST: '0.0.0.0',
      DASHBOARD_GROUP_ID: 'dashboard-2',
      DASHBOARD_FLUSH_MS: '100',
      TOPIC_NAMESPACE: 'demo-2',
    };
    expect(dashboardConfig(env)).toEqual({
      brokers: ['k1:9092', 'k2:9093'],
      registryUrl: 'http://registry:8081',
      port: 9000,
      host: '0.0.0.0',
      topics: { scored: 'demo-2.fraud.scored', alerts: 'demo-2.fraud.alerts' },
      groupId: 'demo-2.dashboard-2',
      flushMs: 100,
    });
  });

  it('refuses values it cannot use, naming them', () => {
    expect(() => dashboardConfig({ DASHBOARD_PORT: '80a' })).toThrow(/DASHBOARD_PORT/);
    expect(() => dashboardConfig({ DASHBOARD_FLUSH_MS: '50' })).toThrow(/100 to 250 ms, got 50/);
    expect(() => dashboardConfig({ KAFKA_BROKERS: 'nohost' })).toThrow(/host:port/);
    expect(() => dashboardConfig({ TOPIC_NAMESPACE: 'a b' })).toThrow(/topic namespace "a b"/);
  });
});
