// Every behaviour the generator plays: fraud, labelled on every payment, and the legitimate
// look-alikes a fraud team has to tell apart from it, never labelled.
import { ACCOUNT_TAKEOVER } from './account-takeover';
import { CARD_TESTING } from './card-testing';
import { FRIENDLY_FRAUD } from './friendly-fraud';
import { BIG_PURCHASE } from './look-alikes/big-purchase';
import { SALARY_DAY } from './look-alikes/salary-day';
import { SUBSCRIPTIONS } from './look-alikes/subscriptions';
import { TRAVELLER } from './look-alikes/traveller';
import { LOW_AND_SLOW } from './low-and-slow';
import { MONEY_MULE } from './money-mule';
import { STOLEN_CARD_FAR_FROM_HOME } from './stolen-card-far-from-home';
import type { Behaviour } from './story';

export const FRAUD_BEHAVIOURS: readonly Behaviour[] = [CARD_TESTING, ACCOUNT_TAKEOVER, STOLEN_CARD_FAR_FROM_HOME, MONEY_MULE, LOW_AND_SLOW, FRIENDLY_FRAUD];

export const LOOK_ALIKES: readonly Behaviour[] = [TRAVELLER, BIG_PURCHASE, SALARY_DAY, SUBSCRIPTIONS];
