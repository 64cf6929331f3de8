// The patches/ fix to kafkajs's group-coordinator lookup, on its own: when no broker answers the
// lookup (every one unreachable, as while the cluster restarts), kafkajs gave up at once with an
// error it does not retry, which crashed a joining consumer for good (a dashboard or a fraud store
// ended during a broker outage). Patched, the lookup is retried, and when the retries run out the
// error is one after which kafkajs restarts the consumer.
import type { Broker } from 'kafkajs';

// kafkajs's internals, as the patch changes them: no public API reaches the lookup alone.
const Cluster = require('kafkajs/src/cluster') as new (options: object) => ClusterInternals;
const { KafkaJSGroupCoordinatorNotFound } = require('kafkajs/src/errors') as { KafkaJSGroupCoordinatorNotFound: new (message: string) => Error };
const { createLogger, LEVELS } = require('kafkajs/src/loggers') as { createLogger: (options: object) => unknown; LEVELS: { NOTHING: number } };

interface ClusterInternals {
  findGroupCoordinatorMetadata(options: object): Promise<{ coordinator: { nodeId: number } }>;
  findBroker(options: { nodeId: number }): Promise<Broker>;
  findGroupCoordinator(options: { groupId: string }): Promise<Broker>;
}

function clusterWhoseLookupFails(times: number): { cluster: ClusterInternals; lookups: () => number } {
  const logger = createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined });
  const cluster = new Cluster({ logger, brokers: ['127.0.0.1:1'], retry: { retries: 3, initialRetryTime: 1, maxRetryTime: 5 } });
  let lookups = 0;
  cluster.findGroupCoordinatorMetadata = async () => {
    lookups++;
    if (lookups <= times) throw new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator');
    return { coordinator: { nodeId: 7 } };
  };
  cluster.findBroker = async ({ nodeId }) => ({ nodeId }) as unknown as Broker;
  return { cluster, lookups: () => lookups };
}

describe('kafkajs group-coordinator lookup, as patched', () => {
  it('retries a lookup no broker answered, and finds the coordinator once one does', async () => {
    const { cluster, lookups } = clusterWhoseLookupFails(2);
    await expect(cluster.findGroupCoordinator({ groupId: 'g' })).resolves.toEqual({ nodeId: 7 });
    expect(lookups()).toBe(3);
  });

  it('ends, when no broker answers any retry, with the error after which kafkajs restarts a consumer', async () => {
    const { cluster, lookups } = clusterWhoseLookupFails(Infinity);
    await expect(cluster.findGroupCoordinator({ groupId: 'g' })).rejects.toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
    expect(lookups()).toBe(4);
  });
});
