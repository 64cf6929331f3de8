import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { LogErrorCode } from '../errors';
import { toLogError } from './errors';

// As kafkajs's retrier and cluster construct them; its typings leave out these constructors' arguments.
type Wrapper = new (error: Error | string, options?: { cause?: Error }) => Error;
const { KafkaJSNonRetriableError, KafkaJSGroupCoordinatorNotFound } = require('kafkajs/src/errors') as { KafkaJSNonRetriableError: Wrapper; KafkaJSGroupCoordinatorNotFound: Wrapper };

const protocolError = (type: string, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 0, retriable }));

describe('toLogError', () => {
  it('names the protocol error anywhere in the chain, and what was being done', () => {
    const error = toLogError(new KafkaJSNumberOfRetriesExceeded(protocolError('PRODUCER_FENCED', false), { retryCount: 5, retryTime: 300 }), 'commit');
    expect(error.code).toBe(LogErrorCode.Fenced);
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/^commit: /);
  });

  it('keeps a connection error retriable behind the wrapper that says kafkajs gave up at once', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    const error = toLogError(new KafkaJSNonRetriableError(refused, { cause: refused }), 'commit');
    expect(error).toMatchObject({ code: LogErrorCode.Broker, retriable: true });
  });

  it('takes retries that ran out as retriable, as kafkajs does when it restarts a consumer', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator'), { retryCount: 5, retryTime: 300 });
    expect(toLogError(exhausted, 'commit')).toMatchObject({ code: LogErrorCode.Broker, retriable: true });
  });

  it('leaves an error nobody may retry as it is', () => {
    expect(toLogError(new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator'), 'join')).toMatchObject({ code: LogErrorCode.Broker, retriable: false });
  });
});
