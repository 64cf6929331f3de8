// Draws the view model into the page. Values from the stream only ever become text nodes, never
// markup, since evidence and explanations are free text.
import * as format from './format.js';

const DECISIONS = ['APPROVE', 'REVIEW', 'DECLINE'];
const REVIEW_AT = 0.5;
const DECLINE_AT = 0.8;

/** An element with attributes (`class`, `data-*`, `title`...) and children (nodes or text). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

function setText(testId, text) {
  byTestId(testId).textContent = text;
}

function decisionBadge(decision) {
  return el('span', { class: `badge badge-${decision.toLowerCase()}`, 'data-testid': 'decision' }, decision);
}

export function renderConnection(state, text) {
  const status = byTestId('connection-status');
  status.dataset.state = state;
  status.textContent = text;
}

export function renderStats(stats, serverTime) {
  setText('throughput', `${format.rate(stats.throughput.scoredPerSecond)} tx/s`);
  setText('alert-rate', `${format.rate(stats.throughput.alertsPerSecond)} alerts/s · ${stats.throughput.windowMs / 1000} s window`);
  renderSparkline(stats.throughput.history);
  setText('scored-total', format.count(stats.scored));
  setText('late-total', `${format.count(stats.late)} late`);
  setText('alerts-total', format.count(stats.alerts));
  setText('rejected-total', `${format.count(stats.rejected)} records skipped`);
  setText('watermark', stats.watermark === null ? 'no watermark yet' : `watermark ${format.dateTime(stats.watermark)}`);
  setText('last-update', `updated ${format.time(serverTime)}`);
  renderDecisions(stats.decisions);
  renderHistogram(stats.scoreHistogram);
  renderRuleHits(stats.ruleHits);
}

export function renderLag(lagMs) {
  const node = byTestId('watermark-lag');
  node.textContent = lagMs === null ? '–' : format.duration(lagMs);
  node.dataset.level = lagMs === null ? '' : lagMs > 60_000 ? 'bad' : lagMs > 10_000 ? 'warn' : 'ok';
}

function renderSparkline(history) {
  const svg = byTestId('throughput-sparkline');
  const max = Math.max(1, ...history);
  const step = 60 / Math.max(1, history.length - 1);
  const points = history.map((n, i) => `${(i * step).toFixed(2)},${(24 - (n / max) * 22).toFixed(2)}`);
  svg.querySelector('.sparkline-line').setAttribute('d', `M${points.join('L')}`);
  svg.querySelector('.sparkline-area').setAttribute('d', `M0,24L${points.join('L')}L60,24Z`);
}

function renderDecisions(decisions) {
  const total = DECISIONS.reduce((sum, d) => sum + decisions[d], 0);
  const share = (d) => (total === 0 ? 0 : decisions[d] / total);
  byTestId('decision-mix').replaceChildren(
    ...DECISIONS.filter((d) => decisions[d] > 0).map((d) =>
      el('span', { class: `segment segment-${d.toLowerCase()}`, style: `flex-grow: ${share(d)}`, title: `${d}: ${format.count(decisions[d])}` }),
    ),
  );
  byTestId('decision-legend').replaceChildren(
    ...DECISIONS.map((d) =>
      el(
        'li',
        { 'data-testid': `decision-${d}` },
        el('span', { class: `swatch swatch-${d.toLowerCase()}` }),
        el('span', { class: 'legend-label' }, d.charAt(0) + d.slice(1).toLowerCase()),
        el('span', { class: 'legend-count' }, format.count(decisions[d])),
        el('span', { class: 'legend-share' }, format.percent(share(d))),
      ),
    ),
  );
}

function renderHistogram(bins) {
  // Log scale: approvals near 0 outnumber the rest by orders of magnitude.
  const top = Math.log10(1 + Math.max(1, ...bins));
  byTestId('score-histogram').replaceChildren(
    ...bins.map((n, i) => {
      const from = i / bins.length;
      const level = from >= DECLINE_AT ? 'decline' : from >= REVIEW_AT ? 'review' : 'approve';
      const label = `${from.toFixed(1)}–${((i + 1) / bins.length).toFixed(1)}: ${format.count(n)}`;
      return el(
        'div',
        { class: 'histogram-bin', 'data-testid': 'score-bin', title: label },
        el('span', { class: `histogram-bar histogram-${level}`, style: `height: ${(Math.log10(1 + n) / top) * 100}%` }),
      );
    }),
  );
}

function renderRuleHits(ruleHits) {
  const max = Math.max(1, ...ruleHits.map((r) => r.count));
  byTestId('rule-hits').replaceChildren(
    ...ruleHits.map(({ ruleId, count }) =>
      el(
        'li',
        { 'data-testid': 'rule-hit', 'data-rule-id': ruleId },
        el('span', { class: 'bar-label' }, ruleId),
        el('span', { class: 'bar-track' }, el('span', { class: 'bar-fill', style: `width: ${(count / max) * 100}%` })),
        el('span', { class: 'bar-count' }, format.count(count)),
      ),
    ),
  );
  byTestId('rule-hits-empty').hidden = ruleHits.length > 0;
}

export function renderTransactions(rows, newAfterSeq) {
  byTestId('transactions').tBodies[0].replaceChildren(
    ...rows.map((row) =>
      el(
        'tr',
        {
          'data-testid': 'transaction-row',
          'data-transaction-id': row.transactionId,
          'data-decision': row.decision,
          class: row.seq > newAfterSeq ? 'fresh' : '',
        },
        el('td', { class: 'mono', title: format.dateTime(row.eventTime) }, format.time(row.eventTime)),
        el('td', { class: 'mono ellipsis', title: row.transactionId }, row.transactionId),
        el('td', { class: 'mono ellipsis', title: row.accountId }, row.accountId),
        el('td', { class: 'num' }, format.money(row.amountMinor, row.currency)),
        el('td', {}, `${row.country} · ${row.channel}`),
        el('td', { class: 'num' }, format.score(row.score)),
        el('td', {}, decisionBadge(row.decision), row.late ? el('span', { class: 'tag', title: 'Behind the watermark on arrival' }, 'late') : ''),
        el('td', { class: 'rules' }, ...row.ruleIds.map((id) => el('span', { class: 'tag' }, id))),
      ),
    ),
  );
  byTestId('transactions-empty').hidden = rows.length > 0;
}

export function renderAlerts(alerts, newAfterSeq) {
  byTestId('alerts').replaceChildren(...alerts.map((alert) => alertCard(alert, alert.seq > newAfterSeq)));
  byTestId('alerts-empty').hidden = alerts.length > 0;
}

function alertCard(alert, fresh) {
  const subject = alert.transactionId === null ? 'account-level pattern' : alert.transactionId;
  return el(
    'li',
    { class: `alert alert-${alert.decision.toLowerCase()}${fresh ? ' fresh' : ''}`, 'data-testid': 'alert', 'data-alert-id': alert.alertId },
    el(
      'div',
      { class: 'alert-head' },
      decisionBadge(alert.decision),
      el('span', { class: 'alert-score' }, `score ${format.score(alert.score)}`),
      el('span', { class: 'alert-amount' }, format.money(alert.amountMinor, alert.currency)),
      el('span', { class: 'alert-time', title: format.dateTime(alert.eventTime) }, format.time(alert.eventTime)),
    ),
    el('div', { class: 'alert-subject' }, el('span', { class: 'mono' }, alert.accountId), ' · ', el('span', { class: 'mono' }, subject)),
    el('ul', { class: 'hits' }, ...alert.hits.map(hitDetail)),
    alert.model === null ? '' : modelDetail(alert.model),
  );
}

/** The model's score and the features that moved it most, as bars: towards fraud (red) or away from it (green). */
function modelDetail(model) {
  const largest = Math.max(1e-9, ...model.contributions.map((c) => Math.abs(c.contribution)));
  return el(
    'div',
    { class: 'model', 'data-testid': 'alert-model' },
    el(
      'div',
      { class: 'hit-head' },
      el('span', { class: 'hit-rule' }, 'model'),
      el('span', { class: 'mono muted ellipsis', title: `contributions: ${model.method}` }, model.model),
      el('span', { class: 'muted' }, `rules alone ${format.score(model.ruleScore)}`),
    ),
    el(
      'ul',
      { class: 'contributions' },
      ...model.contributions.map((c) =>
        el(
          'li',
          { class: 'contribution', 'data-testid': 'alert-contribution', 'data-feature': c.feature, title: c.description },
          el('span', { class: 'mono ellipsis' }, c.feature),
          el('span', { class: 'mono contribution-value' }, c.value === null ? 'unknown' : format.featureValue(c.value)),
          el('span', { class: 'bar-track' }, el('span', { class: `bar-fill ${c.contribution >= 0 ? 'towards-fraud' : 'away-from-fraud'}`, style: `width: ${(Math.abs(c.contribution) / largest) * 100}%` })),
          el('span', { class: 'mono contribution-amount' }, `${c.contribution >= 0 ? '+' : '−'}${Math.abs(c.contribution).toFixed(2)}`),
        ),
      ),
    ),
  );
}

function hitDetail(hit) {
  const evidence = Object.entries(hit.evidence);
  return el(
    'li',
    { class: 'hit', 'data-testid': 'alert-hit' },
    el(
      'div',
      { class: 'hit-head' },
      el('span', { class: 'hit-rule', 'data-testid': 'alert-rule' }, hit.ruleId),
      el('span', { class: `severity severity-${hit.severity.toLowerCase()}` }, hit.severity),
      el('span', { class: 'muted' }, `+${format.score(hit.contribution)}`),
    ),
    el('p', { class: 'hit-explanation', 'data-testid': 'alert-explanation' }, hit.explanation),
    evidence.length === 0
      ? ''
      : el('dl', { class: 'evidence', 'data-testid': 'alert-evidence' }, ...evidence.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)])),
  );
}
