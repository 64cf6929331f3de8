// A simulated run written into a recording file instead of a broker (`npm run simulate -- --out`):
// its records serialized by a registry of its own, whose schemas the recording carries.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { startRegistryServer } from '../registry';
import { recordingLog, registrySchemas } from '../shared/recording';
import { createAvroSerde } from '../shared/serde';
import { valueSubject } from '../shared/topics';
import { type SimulationOptions, resolveOptions } from './options';
import type { SimulationDeps } from './run';

export interface RecordingDestination {
  readonly deps: Pick<SimulationDeps, 'log' | 'serde'>;
  /** Finishes the file. */
  close(): Promise<void>;
}

export async function recordingDestination(path: string, options: SimulationOptions, source?: string): Promise<RecordingDestination> {
  const registry = await startRegistryServer({ port: 0 });
  const { seed, topics } = resolveOptions(options);
  const log = recordingLog({
    path,
    source: source ?? `simulator seed ${seed}`,
    topics,
    schemas: () => registrySchemas(registry.url, [topics.transactions, topics.profiles, topics.authEvents, topics.labels].map(valueSubject), []),
  });
  const serde = createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) });
  return {
    deps: { log, serde },
    async close() {
      await log.close();
      await registry.close();
    },
  };
}
