import { testKafka } from '../../test/integration/kafka';
import { createKafkaLog } from '../shared/stream';
import { describeBacktestEquivalence } from './equivalence';

describeBacktestEquivalence('Kafka', () => createKafkaLog(testKafka('backtest-equivalence')));
