// A run against the in-memory log and the embedded registry, and a way to read everything back.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { startRegistryServer, type RunningRegistry } from '../../registry';
import { createAvroSerde, type AvroSerde } from '../../shared/serde';
import { createMemoryLog, type LogRecord, type RecordLog } from '../../shared/stream';

export interface TestBackend {
  readonly log: RecordLog;
  readonly serde: AvroSerde;
  readonly registry: RunningRegistry;
  close(): Promise<void>;
}

/** A fresh registry per backend, so that two backends hand out the same schema ids. */
export async function memoryBackend(): Promise<TestBackend> {
  const registry = await startRegistryServer({ port: 0 });
  return {
    log: createMemoryLog(),
    serde: createAvroSerde({ registry: new SchemaRegistry({ host: registry.url }) }),
    registry,
    close: () => registry.close(),
  };
}

/** Every record of the topic, partition by partition. */
export async function readTopic(log: RecordLog, topic: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for (let partition = 0; partition < (await log.admin.partitionCount(topic)); partition++) {
    await log.readToEnd({ topic, partition, offset: '0' }, (batch) => {
      records.push(...batch);
    });
  }
  return records;
}
