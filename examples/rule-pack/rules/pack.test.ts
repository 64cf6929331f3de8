import { isRule } from '@peregrine/cep';
import { pack } from '.';

it('loads as a pack of rules made by the engine it depends on', () => {
  expect(pack.rules.map((rule) => rule.id)).toEqual(['decline-retry']);
  expect(pack.rules.every(isRule)).toBe(true);
});
