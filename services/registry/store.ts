// The registry's state and rules, in memory: schema ids, subjects with their versions, and
// compatibility levels. Behaves like Confluent Schema Registry: an id names one schema across all
// subjects, registering is idempotent, and a new version must satisfy the subject's compatibility.
import { parseAvroSchema, type AvroSchema } from './avro-schema';
import { DEFAULT_COMPATIBILITY, findIncompatibilities, type CompatibilityLevel } from './compatibility';
import {
  incompatibleSchema,
  schemaNotFound,
  subjectCompatibilityNotConfigured,
  subjectNotFound,
  versionNotFound,
} from './errors';

/** A version number, or the newest live version of the subject. */
export type VersionRef = number | 'latest';

export interface SubjectVersion {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  /** The text the schema was first registered with, under any subject. */
  readonly schema: string;
}

interface StoredSchema extends AvroSchema {
  readonly id: number;
}

interface Subject {
  /** Live versions, oldest first. */
  versions: { readonly version: number; readonly schema: StoredSchema }[];
  /** Version numbers are never reused, even after a delete, so a cached (subject, version) stays true. */
  lastVersion: number;
}

export class SchemaStore {
  // Schemas are never forgotten, even when every version using them is deleted: records on Kafka
  // still carry their ids.
  private readonly schemasById = new Map<number, StoredSchema>();
  private readonly schemasByIdentity = new Map<string, StoredSchema>();
  private readonly subjectsByName = new Map<string, Subject>();
  private readonly subjectCompatibility = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel = DEFAULT_COMPATIBILITY;

  /** The id of `schemaText` under `subject`, registering it as a new version when the subject lacks it. */
  register(subject: string, schemaText: string): number {
    const { version, isNew } = this.planRegister(subject, schemaText);
    if (isNew) this.load(version);
    return version.id;
  }

  /**
   * What registering `schemaText` under `subject` would give, without registering it: the version
   * the subject already holds it as, or the new version (checked for compatibility) with its id.
   */
  planRegister(subject: string, schemaText: string): { version: SubjectVersion; isNew: boolean } {
    const candidate = parseAvroSchema(schemaText);
    const entry = this.subjectsByName.get(subject) ?? { versions: [], lastVersion: 0 };
    const existing = entry.versions.find((v) => v.schema.identity === candidate.identity);
    if (existing) return { version: describe(subject, existing), isNew: false };
    const problems = findIncompatibilities(this.effectiveCompatibility(subject), candidate.type, historyOf(entry));
    if (problems.length > 0) throw incompatibleSchema(subject, problems);
    // A new schema gets the id past the highest in use: loaded ids may leave gaps.
    const id = this.schemasByIdentity.get(candidate.identity)?.id ?? Math.max(0, ...this.schemasById.keys()) + 1;
    return { version: { subject, version: entry.lastVersion + 1, id, schema: candidate.text }, isNew: true };
  }

  /**
   * Puts back a version as another registry held it, with its id and version number: a recording
   * replayed offline, or a registry restored from its log. Compatibility is not checked again.
   */
  load({ subject, version, id, schema: schemaText }: SubjectVersion): void {
    const candidate = parseAvroSchema(schemaText);
    const known = this.schemasById.get(id);
    if (known && known.identity !== candidate.identity) throw new Error(`schema id ${id} is already another schema`);
    const schema = known ?? this.schemasByIdentity.get(candidate.identity) ?? { ...candidate, id };
    if (schema.id !== id) throw new Error(`the schema of id ${id} is registered already as id ${schema.id}`);
    this.schemasById.set(id, schema);
    this.schemasByIdentity.set(schema.identity, schema);
    // Known by id alone: records carry it, no subject of this registry lists it.
    if (subject === '') return;
    const entry = this.subjectsByName.get(subject) ?? { versions: [], lastVersion: 0 };
    if (!entry.versions.some((v) => v.version === version)) {
      entry.versions.push({ version, schema });
      entry.versions.sort((a, b) => a.version - b.version);
    }
    entry.lastVersion = Math.max(entry.lastVersion, version);
    this.subjectsByName.set(subject, entry);
  }

  /** The version of `subject` that holds `schemaText`. */
  lookUp(subject: string, schemaText: string): SubjectVersion {
    const candidate = parseAvroSchema(schemaText);
    const found = this.liveSubject(subject).versions.find((v) => v.schema.identity === candidate.identity);
    if (!found) throw schemaNotFound();
    return describe(subject, found);
  }

  schemaText(id: number): string {
    const schema = this.schemasById.get(id);
    if (!schema) throw schemaNotFound(String(id));
    return schema.text;
  }

  version(subject: string, ref: VersionRef): SubjectVersion {
    const entry = this.liveSubject(subject);
    return describe(subject, entry.versions[indexOf(entry, ref)]);
  }

  subjects(): string[] {
    return [...this.subjectsByName].filter(([, entry]) => entry.versions.length > 0).map(([name]) => name).sort();
  }

  versions(subject: string): number[] {
    return this.liveSubject(subject).versions.map((v) => v.version);
  }

  /** The live versions of `subject`, oldest first. */
  subjectVersions(subject: string): SubjectVersion[] {
    return this.liveSubject(subject).versions.map((v) => describe(subject, v));
  }

  /** Deletes every version of `subject` and returns their numbers; schema ids stay resolvable. */
  deleteSubject(subject: string): number[] {
    const entry = this.liveSubject(subject);
    return entry.versions.splice(0).map((v) => v.version);
  }

  /** Removes version `version` of `subject` if it is live (a deletion read back from the journal). */
  forgetVersion(subject: string, version: number): void {
    const entry = this.subjectsByName.get(subject);
    const index = entry?.versions.findIndex((v) => v.version === version) ?? -1;
    if (index >= 0) entry!.versions.splice(index, 1);
  }

  deleteVersion(subject: string, ref: VersionRef): number {
    const entry = this.liveSubject(subject);
    const [deleted] = entry.versions.splice(indexOf(entry, ref), 1);
    return deleted.version;
  }

  /**
   * Why `schemaText` could not be registered under `subject` next to version `ref`: checked against
   * that version alone, or for 'latest' against what registering would check.
   */
  incompatibilities(subject: string, schemaText: string, ref: VersionRef): string[] {
    const candidate = parseAvroSchema(schemaText);
    const entry = this.liveSubject(subject);
    const history = ref === 'latest' ? historyOf(entry) : [historyOf(entry)[indexOf(entry, ref)]];
    return findIncompatibilities(this.effectiveCompatibility(subject), candidate.type, history);
  }

  globalCompatibility(): CompatibilityLevel {
    return this.globalLevel;
  }

  setGlobalCompatibility(level: CompatibilityLevel): void {
    this.globalLevel = level;
  }

  /** The subject's own level; clients read its absence as "first registration of this subject". */
  configuredCompatibility(subject: string): CompatibilityLevel {
    const level = this.subjectCompatibility.get(subject);
    if (!level) throw subjectCompatibilityNotConfigured(subject);
    return level;
  }

  setSubjectCompatibility(subject: string, level: CompatibilityLevel): void {
    this.subjectCompatibility.set(subject, level);
  }

  effectiveCompatibility(subject: string): CompatibilityLevel {
    return this.subjectCompatibility.get(subject) ?? this.globalLevel;
  }

  private liveSubject(subject: string): Subject {
    const entry = this.subjectsByName.get(subject);
    if (!entry || entry.versions.length === 0) throw subjectNotFound(subject);
    return entry;
  }
}

function historyOf(entry: Subject) {
  return entry.versions.map(({ version, schema }) => ({ version, type: schema.type }));
}

function indexOf(entry: Subject, ref: VersionRef): number {
  if (ref === 'latest') return entry.versions.length - 1;
  const index = entry.versions.findIndex((v) => v.version === ref);
  if (index === -1) throw versionNotFound(ref);
  return index;
}

function describe(subject: string, { version, schema }: Subject['versions'][number]): SubjectVersion {
  return { subject, version, id: schema.id, schema: schema.text };
}
