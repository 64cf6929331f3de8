import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Schema } from 'avsc';
import { transaction } from '../cep/testing';
import { DEFAULT_COMPATIBILITY, findIncompatibilities } from '../services/registry/compatibility';
import { generateTypes } from './codegen/generate';
import { SCHEMA_NAMES, readSchemaFile, selfContainedSchema, typeOf, type FraudLabel, type Transaction } from './index';

const tx: Transaction = transaction({ transactionId: 'tx-1', accountId: 'acc-1', mcc: '0742', amountMinor: 12_345, eventTime: 1_767_225_600_000 });

describe('schemas', () => {
  it('keeps schemas/types.ts in agreement with the .avsc files', () => {
    const committed = readFileSync(join(__dirname, 'types.ts'), 'utf8');
    expect(committed).toBe(generateTypes());
  });

  it('puts every record in one namespace', () => {
    for (const name of SCHEMA_NAMES) {
      expect(typeOf(name).name).toBe(`dev.peregrine.${name}`);
    }
  });

  it('round-trips a transaction with epoch-millisecond time and minor units', () => {
    const type = typeOf('Transaction');
    const decoded = type.fromBuffer(type.toBuffer(tx)) as Transaction;
    expect(decoded).toEqual(tx);
    expect(typeof decoded.eventTime).toBe('number');
  });

  it('rejects a transaction whose amount is not an integer', () => {
    const paths: string[] = [];
    const ok = typeOf('Transaction').isValid({ ...tx, amountMinor: 12.5 }, { errorHook: (p) => paths.push(p.join('.')) });
    expect(ok).toBe(false);
    expect(paths).toContain('amountMinor');
  });

  it('exports self-contained schemas that parse without a registry of named types', () => {
    for (const name of SCHEMA_NAMES) {
      const standalone = Type.forSchema(selfContainedSchema(name));
      expect(standalone.fingerprint().equals(typeOf(name).fingerprint())).toBe(true);
    }
  });

  it('keeps logical types in the registered schemas', () => {
    const text = JSON.stringify(selfContainedSchema('ScoredTransaction'));
    expect(text.match(/timestamp-millis/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('keeps fraud labels out of every record the scorer reads', () => {
    const scorerInputs = ['Transaction', 'AccountProfile', 'AuthEvent'] as const;
    for (const name of scorerInputs) {
      const fields = (readSchemaFile(name) as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
      expect(fields).not.toEqual(expect.arrayContaining(['fraud', 'scenario', 'label']));
    }
  });

  describe('backward-compatible evolution', () => {
    const v1 = typeOf('Transaction');
    const v1Schema = readSchemaFile('Transaction') as { fields: object[] };
    const v2 = Type.forSchema({
      ...v1Schema,
      fields: [...v1Schema.fields, { name: 'terminalId', type: ['null', 'string'], default: null }],
    } as Schema);

    it('lets a new reader read old data, filling the default', () => {
      const decoded = v2.fromBuffer(v1.toBuffer(tx), v2.createResolver(v1)) as Transaction & { terminalId: string | null };
      expect(decoded).toEqual({ ...tx, terminalId: null });
    });

    it('lets an old reader read new data, ignoring the new field', () => {
      const written = v2.toBuffer({ ...tx, terminalId: 'T-9' });
      expect(v1.fromBuffer(written, v1.createResolver(v2))).toEqual(tx);
    });

    it('refuses a reader that adds a field without a default', () => {
      const v3 = Type.forSchema({
        ...v1Schema,
        fields: [...v1Schema.fields, { name: 'terminalId', type: 'string' }],
      } as Schema);
      expect(() => v3.createResolver(v1)).toThrow(/terminalId/);
    });
  });

  describe('FraudLabel with instanceId and behavioural', () => {
    const current = typeOf('FraudLabel');
    const schema = readSchemaFile('FraudLabel') as { fields: Array<{ name: string }> };
    const before = Type.forSchema({ ...schema, fields: schema.fields.filter((f) => f.name !== 'instanceId' && f.name !== 'behavioural') } as Schema);
    const old = { eventId: 'tx-1', accountId: 'acc-1', scenario: 'card-testing', expectedRuleId: 'card-testing', fraud: true, eventTime: 1_767_225_600_000 };

    it("passes the registry's default check and FULL against the version without them", () => {
      expect(DEFAULT_COMPATIBILITY).toBe('BACKWARD');
      expect(findIncompatibilities(DEFAULT_COMPATIBILITY, current, [{ version: 1, type: before }])).toEqual([]);
      expect(findIncompatibilities('FULL', current, [{ version: 1, type: before }])).toEqual([]);
    });

    it('reads an old label as a rule scenario without an instance, and an old reader ignores both fields', () => {
      expect(current.fromBuffer(before.toBuffer(old), current.createResolver(before))).toEqual({ ...old, instanceId: null, behavioural: false });
      const label: FraudLabel = { ...old, scenario: 'account-takeover', expectedRuleId: null, instanceId: 'fraud-42-000007', behavioural: true };
      expect(before.fromBuffer(current.toBuffer(label), before.createResolver(current))).toEqual({ ...old, scenario: 'account-takeover', expectedRuleId: null });
    });
  });
});
