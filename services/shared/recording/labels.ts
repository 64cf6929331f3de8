// A recording's fraud labels, read in a pass of their own: a replay needs them from its first record,
// and they are spread over the file with the payments they label.
import { typeOf } from '../../../schemas';
import type { FraudLabel } from '../../../schemas';
import type { AvroSerde } from '../serde';
import { readRecording, readRecordingHeader } from './recording';

/** A fraud label as a measurement needs it; `fraud` false is a near-miss, a legitimate payment. */
export interface RecordedLabel {
  readonly eventId: string;
  readonly accountId: string;
  /** The fraud instance, one fraudster's run; null for a label of its own. */
  readonly instanceId: string | null;
  /** The behaviour, or the rule scenario. */
  readonly scenario: string;
  readonly fraud: boolean;
  readonly eventTime: number;
}

/** The recording's labels by event id (a labelled payment's transaction id). Labels that do not decode are skipped. */
export async function readLabels(path: string, serde: AvroSerde): Promise<Map<string, RecordedLabel>> {
  const { topics } = readRecordingHeader(path);
  const labels = new Map<string, RecordedLabel>();
  for await (const record of readRecording(path)) {
    if (record.topic !== topics.labels) continue;
    const decoded = await serde.decode<FraudLabel>(record.value, { readerSchema: typeOf('FraudLabel') });
    if (!decoded.ok) continue;
    const { eventId, accountId, instanceId, scenario, fraud, eventTime } = decoded.value;
    labels.set(eventId, { eventId, accountId, instanceId, scenario, fraud, eventTime });
  }
  return labels;
}
