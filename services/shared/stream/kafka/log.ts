import type { Kafka } from 'kafkajs';
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
  return {
    admin: logAdmin,
    producer: () => connectProducer(kafka),
    transactionalProducer: (transactionalId) => connectTransactionalProducer(kafka, transactionalId),
    consumer: (options) => new KafkaGroupConsumer(kafka, options),
    readToEnd: (from, onRecords) => readToEnd(kafka, logAdmin, from, onRecords),
    close: () => translated('close admin', () => admin.disconnect()),
  };
}
