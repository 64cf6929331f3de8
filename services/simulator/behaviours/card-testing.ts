// Card testing: a stolen card number is tried with small payments (a bot on web shops, or a cloned
// card at shops and fuel pumps), and once it works, spent: at once, or after it has been sold on.
import { CITIES } from '../geo';
import { HOUR, MINUTE, SECOND, choice, duration, integer, money, real } from './parameters';
import { behaviour } from './story';

const PROBE_MCCS = { online: ['5999', '4899', '4121', '5967'], 'in-person': ['5814', '4111', '5411', '5541'] } as const;
const CASH_OUT_MCCS = { online: ['5732', '5999', '6051', '4511'], 'in-person': ['5311', '6011'] } as const;

export const CARD_TESTING = behaviour({
  name: 'card-testing',
  fraud: true,
  weight: 25,
  // #region parameters
  parameters: {
    /** Online by a bot, or a cloned card at shops. */
    where: choice({ online: 85, 'in-person': 15 }),
    probes: integer(2, 15),
    probeAmount: money(0.5, 5),
    /** From the first probe to the last. */
    probing: duration(1 * MINUTE, 30 * MINUTE),
    probeMerchants: integer(1, 4),
    /** Share of the probes the issuer declines (a mistyped expiry date, a merchant's own check). */
    probeDeclines: real(0, 0.3),
    /** From the last probe to the first cash-out. */
    cashOutDelay: duration(1 * MINUTE, 12 * HOUR),
    cashOuts: integer(1, 4),
    cashOutAmount: money(100, 2_000),
    cashOutGap: duration(20 * SECOND, 30 * MINUTE),
  },
  // #endregion parameters
  play(s) {
    const where = s.choose('where');
    const card = s.card();
    const fraudster = s.fraudster();
    // A bot shops from anywhere; a cloned card is used wherever the fraudster is.
    const city = where === 'online' ? s.account.home : s.random.weighted(CITIES, (c) => c.weight);
    const remote = where === 'online' ? { deviceId: fraudster.deviceId, ip: fraudster.origin.ip } : {};
    const merchants = Array.from({ length: s.draw('probeMerchants') }, () => s.merchant(s.random.pick(PROBE_MCCS[where]), city));
    const declines = s.draw('probeDeclines');
    const probes = s.times(s.start, s.draw('probing'), s.draw('probes'));
    for (const at of probes) {
      const authStatus = s.random.chance(declines) ? 'DECLINED' : 'APPROVED';
      s.pay(at, { merchant: s.random.pick(merchants), amountMinor: s.draw('probeAmount'), card, authStatus, ...remote });
    }
    let at = probes[probes.length - 1]! + s.draw('cashOutDelay');
    const cashOuts = s.draw('cashOuts');
    for (let i = 0; i < cashOuts; i++) {
      if (i > 0) at += s.draw('cashOutGap');
      const merchant = s.merchant(s.random.pick(CASH_OUT_MCCS[where]), city);
      const amount = s.draw('cashOutAmount');
      // Cash comes out of an ATM in round amounts.
      s.pay(at, { merchant, amountMinor: merchant.category.channel === 'ATM' ? Math.round(amount / 1_000) * 1_000 : amount, card, ...remote });
    }
  },
});
