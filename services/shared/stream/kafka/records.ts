import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { LogRecord, OutgoingRecord, RecordHeaders } from '../types';

export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value,
    timestamp: Number(message.timestamp),
    headers: fromKafkaHeaders(message.headers ?? {}),
  };
}

/** kafkajs sends records of one topic per call; grouping keeps each topic's records in their order. */
export function toTopicMessages(records: readonly OutgoingRecord[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    let messages = byTopic.get(record.topic);
    if (!messages) byTopic.set(record.topic, (messages = []));
    messages.push({
      key: record.key ?? null,
      value: record.value,
      partition: record.partition,
      timestamp: record.timestamp === undefined ? undefined : String(record.timestamp),
      headers: record.headers ? { ...record.headers } : undefined,
    });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

// A header repeated under one key arrives as an array; Peregrine writes each key once, so the last wins.
function fromKafkaHeaders(headers: IHeaders): RecordHeaders {
  const result: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(headers)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) result[name] = Buffer.isBuffer(last) ? last : Buffer.from(last);
  }
  return result;
}
