import { testKafka } from '../../test/integration/kafka';
import { createKafkaLog } from '../shared/stream';
import { describeHostileInput } from './hostile-input';

describeHostileInput('Kafka', async () => createKafkaLog(testKafka('hostile-input')));
