import type { Kafka } from 'kafkajs';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../record-size';
import type { RecordLog } from '../types';
import { KafkaLogAdmin } from './admin';
import { KafkaGroupConsumer } from './consumer';
import { translated } from './errors';
import { connectProducer, connectTransactionalProducer } from './producer';
import { readToEnd } from './reader';

/**
 * The distributed mode's log over a kafkajs client (see services/shared/kafka for building one).
 * `close` disconnects the admin connection only: producers and consumers are closed by their owners.
 */
export async function createKafkaLog(kafka: Kafka): Promise<RecordLog> {
  const admin = kafka.admin();
  await translated('connect admin', () => admin.connect());
  const logAdmin = new KafkaLogAdmin(admin);
  // Looked up once per topic: a send of many records must keep each batch within its topic's limit.
  const limits = new Map<string, Promise<number>>();
  const limitOf = (topic: string): Promise<number> => {
    let limit = limits.get(topic);
    if (limit === undefined) {
      limit = logAdmin.maxMessageBytes(topic).catch(() => {
        limits.delete(topic); // a topic not created yet: the default for now, and asked again next time
        return DEFAULT_MAX_MESSAGE_BYTES;
      });
      limits.set(topic, limit);
    }
    return limit;
  };
  return {
    admin: logAdmin,
    producer: () => connectProducer(kafka, limitOf),
    transactionalProducer: (transactionalId) => connectTransactionalProducer(kafka, transactionalId, limitOf),
    consumer: (options) => new KafkaGroupConsumer(kafka, options),
    readToEnd: (from, onRecords) => readToEnd(kafka, logAdmin, from, onRecords),
    close: () => translated('close admin', () => admin.disconnect()),
  };
}
