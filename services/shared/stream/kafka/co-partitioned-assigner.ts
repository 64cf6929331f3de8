// The group's partition assignor. A scorer task owns one partition number of every input topic (the
// inputs are co-partitioned by account id), so members are given whole partition numbers, never a
// topic-partition on its own: kafkajs's round-robin assignor spreads the topic-partitions of one
// number over several members as soon as the counts do not divide evenly, and two members would then
// each run (and fence) the same task. Like Kafka Streams' assignor it is sticky: each member announces
// the numbers it owns when it joins, and keeps them as far as a balanced assignment allows, because a
// task that moves must be restored from its changelog.
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

export const CO_PARTITIONED_ASSIGNER = 'PeregrineCoPartitioned';
const VERSION = 0;

export interface GroupMemberClaim {
  readonly memberId: string;
  /** Partition numbers the member owned before this rebalance. */
  readonly owned: readonly number[];
}

/**
 * Gives each partition number to exactly one member, the counts differing by at most one. A member
 * keeps what it owned up to its share; the members owning most get the larger shares; what is left
 * goes, lowest number first, to the member with the fewest. Members are taken in id order, so the
 * result does not depend on the order the coordinator lists them in.
 */
export function coPartitionedAssignment(claims: readonly GroupMemberClaim[], numbers: readonly number[]): Map<string, number[]> {
  const members = [...claims].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const assignment = new Map<string, number[]>(members.map((m) => [m.memberId, []]));
  if (members.length === 0) return assignment;
  const available = new Set(numbers);
  const base = Math.floor(available.size / members.length);
  let larger = available.size % members.length;
  const share = new Map<string, number>();
  for (const m of [...members].sort((a, b) => countIn(b.owned, available) - countIn(a.owned, available))) {
    share.set(m.memberId, base + (larger-- > 0 ? 1 : 0));
  }
  for (const { memberId, owned } of members) {
    const mine = assignment.get(memberId)!;
    for (const n of [...owned].sort((a, b) => a - b)) {
      if (mine.length === share.get(memberId)) break;
      if (available.delete(n)) mine.push(n);
    }
  }
  for (const n of [...available].sort((a, b) => a - b)) {
    const under = members.filter((m) => assignment.get(m.memberId)!.length < share.get(m.memberId)!);
    const fewest = under.reduce((best, m) => (assignment.get(m.memberId)!.length < assignment.get(best.memberId)!.length ? m : best));
    assignment.get(fewest.memberId)!.push(n);
  }
  for (const mine of assignment.values()) mine.sort((a, b) => a - b);
  return assignment;
}

function countIn(owned: readonly number[], available: ReadonlySet<number>): number {
  return owned.filter((n) => available.has(n)).length;
}

/**
 * The assignor for kafkajs's `partitionAssigners`. `owned` is asked at every join for the partition
 * numbers this member holds now; a member whose announcement cannot be read counts as owning none.
 */
export function coPartitionedAssigner(owned: () => readonly number[]): PartitionAssigner {
  return ({ cluster }) => ({
    name: CO_PARTITIONED_ASSIGNER,
    version: VERSION,
    async assign({ members, topics }) {
      const partitionsOf = new Map(topics.map((topic) => [topic, new Set(cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId))]));
      const numbers = new Set([...partitionsOf.values()].flatMap((partitions) => [...partitions]));
      const claims = members.map(({ memberId, memberMetadata }) => ({ memberId, owned: decodeOwned(memberMetadata) }));
      return [...coPartitionedAssignment(claims, [...numbers])].map(([memberId, mine]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: VERSION,
          userData: Buffer.alloc(0),
          assignment: Object.fromEntries(topics.map((topic) => [topic, mine.filter((n) => partitionsOf.get(topic)!.has(n))])),
        }),
      }));
    },
    protocol({ topics }) {
      const userData = Buffer.from(JSON.stringify(owned()));
      return { name: CO_PARTITIONED_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData }) };
    },
  });
}

function decodeOwned(memberMetadata: Buffer): number[] {
  try {
    const owned: unknown = JSON.parse(AssignerProtocol.MemberMetadata.decode(memberMetadata)?.userData.toString() ?? '[]');
    return Array.isArray(owned) ? owned.filter((n): n is number => Number.isInteger(n)) : [];
  } catch {
    return [];
  }
}
