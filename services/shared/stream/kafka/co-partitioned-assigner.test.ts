import fc from 'fast-check';
import { AssignerProtocol, type Cluster, type Logger } from 'kafkajs';
import { coPartitionedAssigner, coPartitionedAssignment, type GroupMemberClaim } from './co-partitioned-assigner';

const claimsArb = (numbers: number) =>
  fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }).chain((ids) =>
    fc.tuple(...ids.map((memberId) => fc.record({ memberId: fc.constant(memberId), owned: fc.uniqueArray(fc.nat(numbers + 2), { maxLength: numbers }) }))),
  );

describe('coPartitionedAssignment', () => {
  it('gives every partition number to exactly one member, the counts differing by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 }).chain((count) => fc.tuple(fc.constant(count), claimsArb(count))), ([count, claims]) => {
        const numbers = Array.from({ length: count }, (_, i) => i);
        const assignment = coPartitionedAssignment(claims, numbers);
        expect([...assignment.keys()].sort()).toEqual(claims.map((c) => c.memberId).sort());
        expect([...assignment.values()].flat().sort((a, b) => a - b)).toEqual(numbers);
        const sizes = [...assignment.values()].map((mine) => mine.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('does not depend on the order the members are listed in', () => {
    fc.assert(
      fc.property(claimsArb(12), (claims) => {
        const numbers = Array.from({ length: 12 }, (_, i) => i);
        expect(coPartitionedAssignment([...claims].reverse(), numbers)).toEqual(coPartitionedAssignment(claims, numbers));
      }),
    );
  });

  it('moves nothing when the members and their balanced assignment stay the same', () => {
    const numbers = [0, 1, 2, 3, 4, 5, 6];
    const first = coPartitionedAssignment([{ memberId: 'b', owned: [] }, { memberId: 'a', owned: [] }, { memberId: 'c', owned: [] }], numbers);
    const again = coPartitionedAssignment([...first].map(([memberId, owned]) => ({ memberId, owned })), numbers);
    expect(again).toEqual(first);
  });

  it('keeps what members own when one joins, moving only what the newcomer needs', () => {
    const numbers = [0, 1, 2, 3, 4, 5];
    const before: GroupMemberClaim[] = [
      { memberId: 'm1', owned: [0, 1, 2] },
      { memberId: 'm2', owned: [3, 4, 5] },
    ];
    const after = coPartitionedAssignment([...before, { memberId: 'm0', owned: [] }], numbers);
    expect(after.get('m1')).toEqual([0, 1]);
    expect(after.get('m2')).toEqual([3, 4]);
    expect(after.get('m0')).toEqual([2, 5]);
  });

  it('hands a leaving member’s numbers to those that stay, which keep their own', () => {
    const after = coPartitionedAssignment(
      [
        { memberId: 'm1', owned: [0, 1] },
        { memberId: 'm2', owned: [3, 4] },
      ],
      [0, 1, 2, 3, 4, 5],
    );
    expect(after).toEqual(
      new Map([
        ['m1', [0, 1, 2]],
        ['m2', [3, 4, 5]],
      ]),
    );
  });

  it('gives a number claimed twice (a member that missed a rebalance) to one member only', () => {
    const after = coPartitionedAssignment(
      [
        { memberId: 'a', owned: [0, 1] },
        { memberId: 'b', owned: [1, 2] },
      ],
      [0, 1, 2, 3],
    );
    expect(after).toEqual(
      new Map([
        ['a', [0, 1]],
        ['b', [2, 3]],
      ]),
    );
  });
});

describe('coPartitionedAssigner (kafkajs)', () => {
  const cluster = (partitions: Record<string, number>) =>
    ({
      findTopicPartitionMetadata: (topic: string) => Array.from({ length: partitions[topic]! }, (_, partitionId) => ({ partitionId })),
    }) as unknown as Cluster;
  const logger = {} as Logger;

  async function assign(partitions: Record<string, number>, members: Array<{ memberId: string; owned: number[] | Buffer }>) {
    const joined = members.map(({ memberId, owned }) => {
      const assigner = coPartitionedAssigner(() => (Buffer.isBuffer(owned) ? [] : owned))({ cluster: cluster(partitions), groupId: 'g', logger });
      const { metadata } = assigner.protocol({ topics: Object.keys(partitions) });
      const memberMetadata = Buffer.isBuffer(owned)
        ? AssignerProtocol.MemberMetadata.encode({ version: 0, topics: Object.keys(partitions), userData: owned })
        : metadata;
      return { memberId, memberMetadata };
    });
    const leader = coPartitionedAssigner(() => [])({ cluster: cluster(partitions), groupId: 'g', logger });
    const result = await leader.assign({ members: joined, topics: Object.keys(partitions) });
    return Object.fromEntries(result.map(({ memberId, memberAssignment }) => [memberId, AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment]));
  }

  it('assigns one partition number of every topic to the same member, where round robin would split them', async () => {
    const assignment = await assign({ transactions: 3, profiles: 3, auth: 3 }, [
      { memberId: 'a', owned: [] },
      { memberId: 'b', owned: [] },
    ]);
    expect(assignment).toEqual({
      a: { transactions: [0, 2], profiles: [0, 2], auth: [0, 2] },
      b: { transactions: [1], profiles: [1], auth: [1] },
    });
  });

  it('reads what each member announces it owns, and treats an unreadable announcement as owning none', async () => {
    const assignment = await assign({ t: 4, u: 2 }, [
      { memberId: 'a', owned: [] },
      { memberId: 'b', owned: [0, 1] },
      { memberId: 'c', owned: Buffer.from('not json') },
    ]);
    expect(assignment.b).toEqual({ t: [0, 1], u: [0, 1] });
    // Numbers only some topics have are assigned too, with just those topics.
    expect([assignment.a, assignment.c]).toEqual([{ t: [2], u: [] }, { t: [3], u: [] }]);
  });
});
