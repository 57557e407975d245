import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { KAFKA_BROKERS } from '../infra';

export interface GroupLag {
  group: string;
  topics: string[];
  lag: number;
}

/**
 * Consumer lag of every group of one platform (its groups and topics carry its topic prefix):
 * for each partition of each topic the group subscribes to, the end offset minus what the group
 * committed (the start offset when it committed nothing).
 */
export async function consumerLag(topicPrefix: string): Promise<GroupLag[]> {
  const kafka = new Kafka({
    clientId: 'chaos-lag',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(topicPrefix));
    const described = ours.length > 0 ? await admin.describeGroups(ours) : { groups: [] };
    const out: GroupLag[] = [];
    for (const group of described.groups) {
      const topics = new Set<string>();
      // what the live members subscribe to, plus whatever the group ever committed on
      for (const member of group.members) {
        try {
          const meta = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
          for (const t of meta?.topics ?? []) topics.add(t);
        } catch {
          // a member caught mid-rebalance has no metadata yet: its committed topics still count
        }
      }
      for (const t of await admin.fetchOffsets({ groupId: group.groupId })) topics.add(t.topic);
      let lag = 0;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId: group.groupId, topics: [topic] });
        for (const end of ends) {
          const c = committed?.partitions.find((p) => p.partition === end.partition);
          const from = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
          lag += Math.max(0, Number(end.high) - from);
        }
      }
      out.push({ group: group.groupId, topics: [...topics].sort(), lag });
    }
    return out.sort((a, b) => a.group.localeCompare(b.group));
  } finally {
    await admin.disconnect();
  }
}

/** End offsets of every topic of the platform, to tell whether anything is still being published. */
export async function endOffsets(topicPrefix: string): Promise<Record<string, number>> {
  const kafka = new Kafka({
    clientId: 'chaos-ends',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix)).sort();
    const out: Record<string, number> = {};
    for (const t of topics) {
      out[t] = (await admin.fetchTopicOffsets(t)).reduce((s, p) => s + Number(p.high), 0);
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}
