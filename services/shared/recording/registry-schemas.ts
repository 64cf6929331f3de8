// The schemas a recording needs, read from a Schema Registry over its REST API (Confluent's or the
// embedded one): every version of the pipeline's subjects, so that a replay encodes its outputs with
// the same ids as the live scorer, and any other schema the recorded values name by id.
import type { RecordedSchema } from './recording';

async function get<T>(registryUrl: string, path: string): Promise<T> {
  const response = await fetch(`${registryUrl.replace(/\/$/, '')}${path}`, { headers: { accept: 'application/vnd.schemaregistry.v1+json' } });
  if (!response.ok) throw new Error(`schema registry at ${registryUrl} answered ${response.status} to GET ${path}`);
  return (await response.json()) as T;
}

export async function registrySchemas(registryUrl: string, subjects: readonly string[], referencedIds: Iterable<number>): Promise<RecordedSchema[]> {
  const known = new Set(await get<string[]>(registryUrl, '/subjects'));
  const schemas: RecordedSchema[] = [];
  for (const subject of subjects) {
    if (!known.has(subject)) continue;
    for (const version of await get<number[]>(registryUrl, `/subjects/${encodeURIComponent(subject)}/versions`)) {
      schemas.push(await get<RecordedSchema>(registryUrl, `/subjects/${encodeURIComponent(subject)}/versions/${version}`));
    }
  }
  const ids = new Set(schemas.map((s) => s.id));
  for (const id of referencedIds) {
    if (ids.has(id)) continue;
    // Registered under a subject this pipeline does not own (a producer's own): kept by id alone.
    const { schema } = await get<{ schema: string }>(registryUrl, `/schemas/ids/${id}`).catch(() => ({ schema: '' }));
    if (schema !== '') schemas.push({ id, subject: '', version: 0, schema });
  }
  return schemas.sort((a, b) => a.id - b.id || a.subject.localeCompare(b.subject));
}
