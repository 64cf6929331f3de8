import { Type, type Schema } from 'avsc';
import { collectionGuard, type CollectionGuard } from './collection-guard';

const everything = Type.forSchema({
  type: 'record',
  name: 'Everything',
  fields: [
    { name: 'flag', type: 'boolean' },
    { name: 'count', type: 'int' },
    { name: 'total', type: 'long' },
    { name: 'ratio', type: 'float' },
    { name: 'score', type: 'double' },
    { name: 'raw', type: 'bytes' },
    { name: 'label', type: 'string' },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'level', type: { type: 'enum', name: 'Level', symbols: ['LOW', 'HIGH'] } },
    { name: 'maybe', type: ['null', 'string'] },
    {
      name: 'items',
      type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'n', type: 'int' }] } },
    },
    { name: 'extra', type: { type: 'map', values: 'double' } },
  ],
} as Schema);

const value = {
  flag: true,
  count: -7,
  total: 1_700_000_000_000,
  ratio: 0.5,
  score: 0.25,
  raw: Buffer.from([1, 2, 3]),
  label: 'héllo',
  hash: Buffer.from('abcd'),
  level: 'HIGH',
  maybe: 'x',
  items: [{ n: 1 }, { n: 300 }],
  extra: { a: 1, b: 2 },
};

function guardOf(schema: unknown, wrapUnions = false): CollectionGuard {
  const guard = collectionGuard(Type.forSchema(schema as Schema, { wrapUnions }));
  if (!guard) throw new Error('expected a guard');
  return guard;
}

const ints = () => guardOf({ type: 'array', items: 'int' });

describe('collectionGuard', () => {
  it('is not needed for a schema without arrays or maps', () => {
    const flat = Type.forSchema({ type: 'record', name: 'Flat', fields: [{ name: 'a', type: 'string' }] });

    expect(collectionGuard(flat)).toBeUndefined();
  });

  it('passes a valid body at the given offset', () => {
    const message = Buffer.concat([Buffer.from([9, 9, 9]), everything.toBuffer(value)]);

    expect(collectionGuard(everything)?.(message, 3)).toBeUndefined();
  });

  it('reports every strict prefix of a valid body as truncated', () => {
    const body = everything.toBuffer(value);
    const guard = collectionGuard(everything);

    for (let length = 0; length < body.length; length++) {
      expect(guard?.(body.subarray(0, length), 0)).toMatchObject({ code: 'TRUNCATED' });
    }
  });

  it('refuses a block count larger than the bytes left, which avsc would try to allocate', () => {
    const twoBillionItems = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x0f, 0x02]);

    expect(ints()(twoBillionItems, 0)).toEqual({
      code: 'TRUNCATED',
      detail: 'block of 2147483647 items at body byte 5 runs past the end',
    });
  });

  it('follows blocks with a negative count and a byte size, as other Avro writers may write them', () => {
    const twoItemsInOneSizedBlock = Buffer.from([0x03, 0x04, 0x02, 0x04, 0x00]);
    const type = Type.forSchema({ type: 'array', items: 'int' });

    expect(ints()(twoItemsInOneSizedBlock, 0)).toBeUndefined();
    expect(type.fromBuffer(twoItemsInOneSizedBlock)).toEqual([1, 2]);
  });

  it.each([
    ['an enum index out of range', { type: 'enum', name: 'E', symbols: ['A'] }, [0x02], false],
    ['a union branch out of range', ['null', 'int'], [0x04], false],
    ['a wrapped-union branch below zero', ['null', 'int'], [0x05], true],
    ['a negative string length', 'string', [0x01], false],
    ['a varint longer than 10 bytes', 'long', [...Array<number>(10).fill(0x80), 0x01], false],
  ])('reports %s as an invalid body', (_case, itemSchema, itemBytes, wrapUnions) => {
    const body = Buffer.from([0x02, ...itemBytes, 0x00]);

    expect(guardOf({ type: 'array', items: itemSchema }, wrapUnions)(body, 0)).toMatchObject({ code: 'INVALID_BODY' });
  });

  it('walks recursive schemas', () => {
    const tree = Type.forSchema({
      type: 'record',
      name: 'Node',
      fields: [{ name: 'children', type: { type: 'array', items: 'Node' } }],
    } as Schema);
    const body = tree.toBuffer({ children: [{ children: [] }, { children: [{ children: [] }] }] });

    expect(collectionGuard(tree)?.(body, 0)).toBeUndefined();
    expect(collectionGuard(tree)?.(body.subarray(0, body.length - 1), 0)).toMatchObject({ code: 'TRUNCATED' });
  });
});
