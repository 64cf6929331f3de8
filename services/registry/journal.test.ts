// The registry's journal: a registry opened again on the same topic serves what the first one held,
// and a write the journal refused is neither applied nor answered as done.
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { type RecordLog, createMemoryLog } from '../shared/stream';
import { RegistryWriter, openTopicJournal } from './journal';
import { startRegistryServer, type RunningRegistry } from './server';

const payment = (...extraFields: object[]) =>
  JSON.stringify({ type: 'record', name: 'Payment', namespace: 'test.journal', fields: [{ name: 'id', type: 'string' }, ...extraFields] });
const v1 = payment();
const v2 = payment({ name: 'channel', type: 'string', default: 'web' });
const other = JSON.stringify({ type: 'record', name: 'Login', namespace: 'test.journal', fields: [{ name: 'at', type: 'long' }] });

/** Runs `use` against a registry served from the journal on `log`, then closes both. */
async function withRegistry<T>(log: RecordLog, use: (client: SchemaRegistry, registry: RunningRegistry) => Promise<T>): Promise<T> {
  const { writer, close } = await openTopicJournal(log, 'test-schemas');
  const registry = await startRegistryServer({ port: 0, writer });
  try {
    return await use(new SchemaRegistry({ host: registry.url }), registry);
  } finally {
    await registry.close();
    await close();
  }
}

const register = (client: SchemaRegistry, subject: string, schema: string) => client.register({ type: SchemaType.AVRO, schema }, { subject });

describe('the registry journal', () => {
  it('gives a registry opened again the ids, versions, deletions and compatibility levels of the first', async () => {
    const log = createMemoryLog();
    const before = await withRegistry(log, async (client, registry) => {
      const a1 = await register(client, 'payments-value', v1);
      const a2 = await register(client, 'payments-value', v2);
      const b = await register(client, 'logins-value', other);
      await fetch(`${registry.url}/config/logins-value`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ compatibility: COMPATIBILITY.FULL }) });
      await fetch(`${registry.url}/subjects/payments-value/versions/1`, { method: 'DELETE' });
      return { a1, a2, b };
    });

    await withRegistry(log, async (client, registry) => {
      expect(await client.getSchema(before.a1.id)).toBeDefined();
      expect(await client.getRegistryId('payments-value', 2)).toBe(before.a2.id);
      expect(await client.getLatestSchemaId('logins-value')).toBe(before.b.id);
      expect(await (await fetch(`${registry.url}/subjects/payments-value/versions`)).json()).toEqual([2]);
      expect(await (await fetch(`${registry.url}/config/logins-value`)).json()).toEqual({ compatibilityLevel: 'FULL' });
      // Registering again is answered from what was read back; a new schema gets the next id.
      expect((await register(client, 'payments-value', v2)).id).toBe(before.a2.id);
      const next = await register(client, 'audits-value', payment({ name: 'x', type: 'int', default: 0 }));
      expect(next.id).toBe(Math.max(before.a1.id, before.a2.id, before.b.id) + 1);
      // A deleted version number is not handed out again.
      expect(await (await fetch(`${registry.url}/subjects/payments-value/versions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schema: v1 }) })).json()).toEqual({ id: before.a1.id });
      expect(await (await fetch(`${registry.url}/subjects/payments-value/versions`)).json()).toEqual([2, 3]);
    });
  });

  it('answers a write the journal refused with 500 and does not apply it; the retry is journaled', async () => {
    let refuse = true;
    const appended: unknown[] = [];
    const writer = new RegistryWriter(undefined, {
      append: async (entries) => {
        if (refuse) throw new Error('broker unreachable');
        appended.push(...entries);
      },
    });
    const registry = await startRegistryServer({ port: 0, writer });
    try {
      const post = () => fetch(`${registry.url}/subjects/payments-value/versions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schema: v1 }) });
      expect((await post()).status).toBe(500);
      expect(writer.store.subjects()).toEqual([]);
      refuse = false;
      expect(await (await post()).json()).toEqual({ id: 1 });
      expect(appended).toHaveLength(1);
    } finally {
      await registry.close();
    }
  });

  it('hands out distinct ids to registrations that arrive together', async () => {
    const writer = new RegistryWriter(undefined, { append: () => new Promise((resolve) => setTimeout(resolve, 5)) });
    const ids = await Promise.all([v1, other, payment({ name: 'y', type: 'int', default: 1 })].map((schema, i) => writer.register(`s${i}-value`, schema)));
    expect(new Set(ids).size).toBe(3);
  });
});
