import { testKafka } from '../../../../test/integration/kafka';
import { describeLogContract } from '../contract';
import { createKafkaLog } from './log';

describeLogContract('kafka log', () => createKafkaLog(testKafka('stream-contract')));
