import { CepErrorCode, isCepError } from '../errors';
import { defineRule } from './rule';
import { loadRulePack, rulePack } from './rule-pack';

const ruleWithId = (id: string) => defineRule({ id, description: id, severity: 'LOW', key: 'account', score: 0.1, when: () => null, explain: () => id });

function rejection(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (!isCepError(error, CepErrorCode.MalformedPattern)) throw error;
    return error.message;
  }
  throw new Error('the pack was accepted');
}

describe('loadRulePack', () => {
  it('loads modules by id, in id order', () => {
    const pack = loadRulePack({ 'b-rule': { rule: ruleWithId('b-rule') }, 'a-rule': { rule: ruleWithId('a-rule') } });
    expect(pack.rules.map((r) => r.id)).toEqual(['a-rule', 'b-rule']);
  });

  it('names the module or rule that is wrong', () => {
    expect(rejection(() => loadRulePack({ 'a-rule': { other: 1 } }))).toBe("Rule 'a-rule': module 'a-rule' must export a rule made by defineRule as 'rule'");
    expect(rejection(() => loadRulePack({ 'a-rule': { rule: { id: 'a-rule' } } }))).toBe("Rule 'a-rule': module 'a-rule' must export a rule made by defineRule as 'rule'");
    expect(rejection(() => loadRulePack({ 'a-rule': { rule: ruleWithId('b-rule') } }))).toBe("Rule 'b-rule': is in module 'a-rule': a rule module is named after its rule's id");
  });

  it('rejects a duplicate id', () => {
    expect(rejection(() => rulePack([ruleWithId('a-rule'), ruleWithId('a-rule')]))).toBe("Rule 'a-rule': is defined twice in the pack");
  });
});
