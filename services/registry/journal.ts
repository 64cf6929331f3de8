// The registry's writes, kept where its records are: a compacted topic of one partition, after
// Confluent Schema Registry's `_schemas` (a JSON key per subject version or compatibility setting,
// the newest value per key kept). A registry that restarts reads it back before it answers, so
// the ids of the records already in Kafka stay resolvable. Every write is in the topic before the
// client hears of it. One registry writes a topic: two would hand out the same ids.
import type { LogProducer, RecordLog } from '../shared/stream';
import type { CompatibilityLevel } from './compatibility';
import { SchemaStore, type SubjectVersion, type VersionRef } from './store';

export const DEFAULT_SCHEMAS_TOPIC = '_schemas';

type JournalEntry =
  | { readonly keytype: 'SCHEMA'; readonly value: SubjectVersion & { readonly deleted: boolean } }
  | { readonly keytype: 'CONFIG'; readonly subject: string | null; readonly compatibilityLevel: CompatibilityLevel };

/** Where writes go before they apply: the topic, or nowhere (a registry in memory). */
export interface RegistryJournal {
  append(entries: readonly JournalEntry[]): Promise<void>;
}

const IN_MEMORY: RegistryJournal = { append: async () => undefined };

/**
 * The store's writes, each planned on the store, appended to the journal, then applied: one at a
 * time, so that two registrations cannot plan the same id.
 */
export class RegistryWriter {
  readonly store: SchemaStore;
  readonly #journal: RegistryJournal;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store = new SchemaStore(), journal: RegistryJournal = IN_MEMORY) {
    this.store = store;
    this.#journal = journal;
  }

  register(subject: string, schemaText: string): Promise<number> {
    return this.#serially(async () => {
      const { version, isNew } = this.store.planRegister(subject, schemaText);
      if (isNew) await this.#write([{ keytype: 'SCHEMA', value: { ...version, deleted: false } }]);
      return version.id;
    });
  }

  deleteVersion(subject: string, ref: VersionRef): Promise<number> {
    return this.#serially(async () => {
      const version = this.store.version(subject, ref);
      await this.#write([{ keytype: 'SCHEMA', value: { ...version, deleted: true } }]);
      return version.version;
    });
  }

  deleteSubject(subject: string): Promise<number[]> {
    return this.#serially(async () => {
      const versions = this.store.subjectVersions(subject);
      await this.#write(versions.map((version) => ({ keytype: 'SCHEMA', value: { ...version, deleted: true } })));
      return versions.map((v) => v.version);
    });
  }

  /** `subject` null sets the global level. */
  setCompatibility(subject: string | null, compatibilityLevel: CompatibilityLevel): Promise<void> {
    return this.#serially(() => this.#write([{ keytype: 'CONFIG', subject, compatibilityLevel }]));
  }

  async #write(entries: readonly JournalEntry[]): Promise<void> {
    await this.#journal.append(entries);
    for (const entry of entries) applyEntry(this.store, entry);
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

export function applyEntry(store: SchemaStore, entry: JournalEntry): void {
  if (entry.keytype === 'CONFIG') {
    if (entry.subject === null) store.setGlobalCompatibility(entry.compatibilityLevel);
    else store.setSubjectCompatibility(entry.subject, entry.compatibilityLevel);
    return;
  }
  const { deleted, ...version } = entry.value;
  store.load(version);
  if (deleted) store.forgetVersion(version.subject, version.version);
}

/** The journal on a compacted topic of `log`, and the store as the topic left it. */
export async function openTopicJournal(log: RecordLog, topic = DEFAULT_SCHEMAS_TOPIC): Promise<{ writer: RegistryWriter; close: () => Promise<void> }> {
  await log.admin.ensureTopics([{ topic, partitions: 1, compacted: true }]);
  const store = new SchemaStore();
  await log.readToEnd({ topic, partition: 0, offset: '0' }, (records) => {
    for (const record of records) if (record.value !== null) applyEntry(store, decodeEntry(record.key, record.value));
  });
  const producer: LogProducer = await log.producer();
  const journal: RegistryJournal = { append: (entries) => producer.send(entries.map((entry) => ({ topic, partition: 0, ...encodeEntry(entry) }))) };
  return { writer: new RegistryWriter(store, journal), close: () => producer.close() };
}

function encodeEntry(entry: JournalEntry): { key: Buffer; value: Buffer } {
  if (entry.keytype === 'CONFIG') {
    return { key: json({ keytype: 'CONFIG', subject: entry.subject, magic: 0 }), value: json({ compatibilityLevel: entry.compatibilityLevel }) };
  }
  const { subject, version } = entry.value;
  return { key: json({ keytype: 'SCHEMA', subject, version, magic: 1 }), value: json(entry.value) };
}

function decodeEntry(key: Buffer | null, value: Buffer): JournalEntry {
  const k = JSON.parse(key?.toString('utf8') ?? '{}') as { keytype?: string; subject?: string | null };
  const v = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  if (k.keytype === 'CONFIG') return { keytype: 'CONFIG', subject: k.subject ?? null, compatibilityLevel: v.compatibilityLevel as CompatibilityLevel };
  if (k.keytype === 'SCHEMA') return { keytype: 'SCHEMA', value: { subject: String(v.subject), version: Number(v.version), id: Number(v.id), schema: String(v.schema), deleted: v.deleted === true } };
  throw new Error(`the schemas topic holds a record of unknown keytype ${String(k.keytype)}`);
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
