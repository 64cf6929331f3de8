import { loadRulePack } from '@peregrine/cep';
import * as declineRetry from './decline-retry';

/** The pack: each module exports its rule as `rule` and is named after the rule's id. */
export const pack = loadRulePack({ 'decline-retry': declineRetry });
