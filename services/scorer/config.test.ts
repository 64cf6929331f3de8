import { scorerConfig } from './config';

describe('scorerConfig', () => {
  it('namespaces the consumer group with the topics', () => {
    expect(scorerConfig({ TOPIC_NAMESPACE: 'run-a', SCORER_GROUP_ID: 'scorer' })).toMatchObject({ namespace: 'run-a', groupId: 'run-a.scorer' });
    expect(scorerConfig({ SCORER_GROUP_ID: 'scorer' })).toMatchObject({ namespace: '', groupId: 'scorer' });
  });

  it('refuses a namespace no topic name can hold, naming it', () => {
    expect(() => scorerConfig({ TOPIC_NAMESPACE: 'a b' })).toThrow('topic namespace "a b"');
  });
});
