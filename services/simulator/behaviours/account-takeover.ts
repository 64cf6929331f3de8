// Account takeover: someone else gets into the account (phished or stuffed credentials, sometimes
// after a few failed guesses), makes it theirs (a device of their own, a password reset, a new email
// or phone so that the customer's alerts go astray), then drains it in several medium payments,
// spread out so that no single one stands out.
import { CITIES } from '../geo';
import { DAY, HOUR, MINUTE, SECOND, chance, choice, duration, integer, money } from './parameters';
import { behaviour, type Actor } from './story';

/** A transfer to a mule's bank, a money-transfer service, electronics or crypto to resell. */
const CASH_OUT_MCCS = ['6012', '6012', '4829', '5732', '6051'] as const;

export const ACCOUNT_TAKEOVER = behaviour({
  name: 'account-takeover',
  fraud: true,
  weight: 20,
  // #region parameters
  parameters: {
    failedLoginsFirst: chance(0.4),
    failedLogins: integer(1, 6),
    failedLoginGap: duration(2 * SECOND, 2 * MINUTE),
    /** Connecting from another country rather than through a proxy in the customer's. */
    fromAbroad: chance(0.3),
    /** What the fraudster changes: at least one of a device of their own, the password, the email or phone. */
    changes: choice({
      device: 30,
      'device+password': 20,
      'device+contact': 15,
      'device+password+contact': 10,
      password: 10,
      contact: 10,
      'password+contact': 5,
    }),
    contact: choice({ email: 60, phone: 40 }),
    /** From getting in to each change. */
    changeDelay: duration(30 * SECOND, 10 * MINUTE),
    /** From the last change to the first cash-out payment. */
    cashOutDelay: duration(2 * MINUTE, 1 * DAY),
    cashOuts: integer(2, 8),
    cashOutAmount: money(200, 1_500),
    cashOutGap: duration(1 * MINUTE, 3 * HOUR),
  },
  // #endregion parameters
  play(s) {
    const abroad = s.maybe('fromAbroad');
    const country = abroad ? s.random.pick(CITIES.filter((c) => c.country !== s.account.home.country)).country : s.account.home.country;
    const fraudster = s.fraudster(country);
    const changes = s.choose('changes').split('+');
    // Without a device of their own, the fraudster drives the customer's (remote-access malware).
    const by: Actor = changes.includes('device') ? fraudster : { deviceId: s.ownDevice() };
    let at = s.start;
    if (s.maybe('failedLoginsFirst')) {
      const failures = s.draw('failedLogins');
      for (let i = 0; i < failures; i++, at += s.draw('failedLoginGap')) s.auth(at, 'LOGIN_FAILURE', by);
    }
    s.auth(at, changes.includes('device') ? 'NEW_DEVICE' : 'LOGIN_SUCCESS', by);
    if (changes.includes('password')) {
      at += s.draw('changeDelay');
      s.auth(at, 'PASSWORD_CHANGE', by);
    }
    if (changes.includes('contact')) {
      at += s.draw('changeDelay');
      s.changeContact(at, s.choose('contact'), by);
    }
    at += s.draw('cashOutDelay');
    const cashOuts = s.draw('cashOuts');
    for (let i = 0; i < cashOuts; i++) {
      if (i > 0) at += s.draw('cashOutGap');
      // A mule's bank anywhere; online merchants are anywhere anyway.
      const merchant = s.merchant(s.random.pick(CASH_OUT_MCCS), s.random.weighted(CITIES, (c) => c.weight));
      s.pay(at, { merchant, amountMinor: s.draw('cashOutAmount'), deviceId: by.deviceId, ip: by.origin?.ip });
    }
  },
});
