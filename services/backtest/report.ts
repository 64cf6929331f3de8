// A backtest's result for people: tables on the terminal, one JSON object for scripts, and a
// self-contained HTML page with the curves (Chart.js, inlined, so the page opens anywhere offline).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Table from 'cli-table3';
import type { BacktestResult, VariantResult } from './backtest';
import { type CurvePoint, chooseThreshold } from './metrics';

const percent = (value: number | null, digits = 1) => (value === null ? '–' : `${(value * 100).toFixed(digits)}%`);
const euros = (cents: number) => `€${(cents / 100).toLocaleString('en', { maximumFractionDigits: 0 })}`;
const count = (n: number) => n.toLocaleString('en');
/** No colours: the tables go to files and pipes as often as to a terminal. */
const PLAIN = { head: [], border: [] };

/** Every figure as plain JSON: the alerted set is large, so only its size is kept, and the comparison's ids. */
export function toJson(result: BacktestResult): object {
  return {
    recording: { source: result.header.source, from: result.header.from, to: result.header.to, inputRecords: result.inputRecords, labels: result.labels },
    seconds: Math.round(result.seconds * 10) / 10,
    variants: result.variants.map(({ figures: { alerted, ...figures }, ...variant }) => ({ ...variant, figures: { ...figures, alerted: alerted.size } })),
    compare: result.compare,
  };
}

function variantTables(variant: VariantResult): string {
  const { figures } = variant;
  const at = figures.atThresholds;
  const overall = new Table({ style: PLAIN, head: [`${variant.name} (review ≥ ${variant.thresholds.review}, decline ≥ ${variant.thresholds.decline})`, ''] });
  overall.push(
    ['payments (fraud / legitimate)', `${count(figures.payments)} (${count(figures.fraudPayments)} / ${count(figures.legitimatePayments)})`],
    ['fraud instances caught', `${percent(at.instanceRecall)} of ${count(figures.instances)}`],
    ['fraud amount stopped', `${percent(at.amountRecall)} of ${euros(figures.fraudEuroCents)}`],
    ['false alerts (legitimate reviewed or declined)', percent(at.falseAlertRate, 2)],
    ['false declines', `${count(at.falseDeclines)} (${euros(at.falseDeclineEuroCents)})`],
    ['alerts per 1,000 payments', at.alertsPerThousandPayments.toFixed(1)],
    ['account-level alerts (during a fraud instance)', `${count(figures.accountAlerts)} (${count(figures.accountAlertsOnFraud)})`],
  );
  const behaviours = new Table({ style: PLAIN, head: ['behaviour', 'instances', 'caught'] });
  for (const [behaviour, instances] of Object.entries(figures.instancesByBehaviour)) behaviours.push([behaviour, count(instances), percent(at.recallByBehaviour[behaviour] ?? 0)]);
  const rules = new Table({ style: PLAIN, head: ['rule', 'hits', 'per 1,000 payments', 'precision', 'recall by behaviour'] });
  for (const rule of figures.rules) {
    const recall = Object.entries(rule.recallByBehaviour)
      .filter(([, r]) => r > 0)
      .map(([b, r]) => `${b} ${percent(r, 0)}`)
      .join(', ');
    rules.push([rule.ruleId, count(rule.hits), rule.hitsPerThousandPayments.toFixed(2), percent(rule.precision), recall || '–']);
  }
  const sweep = new Table({ style: PLAIN, head: ['false alerts at most', 'flag from score', 'instances caught', 'false alerts', 'precision', 'alerts per 1,000'] });
  for (const [target, point] of sweepRows(figures.curve)) {
    sweep.push([percent(target, 2), threshold(point.threshold), percent(point.instanceRecall), percent(point.falseAlertRate, 3), percent(point.precision), point.alertsPerThousandPayments.toFixed(1)]);
  }
  const deadLetters = Object.entries(variant.deadLetters).map(([reason, n]) => `${reason} ${n}`).join(', ');
  return [overall.toString(), behaviours.toString(), rules.toString(), sweep.toString(), `dead letters: ${deadLetters || 'none'}`].join('\n');
}

/** False-alert rates a team compares detectors at: the sweep's rows. */
const SWEEP_FALSE_ALERT_RATES = [0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001];

/** For each rate, the threshold that catches the most within it; a threshold already shown for a higher rate is left out. */
function sweepRows(curve: readonly CurvePoint[]): [number, CurvePoint][] {
  const rows: [number, CurvePoint][] = [];
  for (const rate of SWEEP_FALSE_ALERT_RATES) {
    const point = chooseThreshold(curve, { falseAlertRate: rate });
    if (point !== null && point.threshold !== rows[rows.length - 1]?.[1].threshold) rows.push([rate, point]);
  }
  return rows;
}

/** A threshold with the digits that tell it apart: a model's thresholds can be close to 0 or 1. */
const threshold = (value: number) => (value === 0 || value >= 0.001 ? String(Number(value.toFixed(4))) : value.toExponential(1));

export function toText(result: BacktestResult): string {
  const head = `Backtest of ${result.header.source}: ${count(result.inputRecords)} input records, ${count(result.labels)} labels, in ${result.seconds.toFixed(1)} s`;
  const parts = [head, ...result.variants.map(variantTables)];
  if (result.compare) {
    const sample = (ids: readonly string[]) => (ids.length === 0 ? '' : `: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}`);
    parts.push(`${result.variants[1]!.name} against ${result.variants[0]!.name}: ${count(result.compare.added.length)} alerts added${sample(result.compare.added)}; ${count(result.compare.removed.length)} removed${sample(result.compare.removed)}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/** Writes DIR/index.html (and DIR/backtest.json), one page that needs nothing but a browser. */
export function writeHtmlReport(result: BacktestResult, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const json = toJson(result);
  writeFileSync(join(dir, 'backtest.json'), `${JSON.stringify(json, null, 2)}\n`);
  // The package exports only its modules; the browser build sits beside them.
  const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  // The data sits in a JSON script block: `<` is escaped so no value can close the block.
  const data = JSON.stringify(json).replace(/</g, '\\u003c');
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Peregrine backtest: ${escapeHtml(result.header.source)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2733; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } td, th { padding: .25rem .6rem; border-bottom: 1px solid #dde3ea; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; } .charts div { position: relative; height: 320px; }
.muted { color: #5b6b7d; }
</style>
</head>
<body>
<h1>Backtest</h1>
<p id="summary" class="muted"></p>
<div id="variants"></div>
<div id="compare"></div>
<script id="data" type="application/json">${data}</script>
<script>${chartJs}</script>
<script>
const data = JSON.parse(document.getElementById('data').textContent);
const pct = (v, d = 1) => v === null ? '–' : (v * 100).toFixed(d) + '%';
const el = (tag, html) => { const e = document.createElement(tag); e.innerHTML = html; return e; };
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const rows = (head, body) => '<table><tr>' + head.map((h) => '<th>' + esc(h) + '</th>').join('') + '</tr>' + body.map((r) => '<tr>' + r.map((c, i) => '<td' + (i ? ' class="n"' : '') + '>' + esc(c) + '</td>').join('') + '</tr>').join('') + '</table>';
document.getElementById('summary').textContent = data.recording.source + ': ' + data.recording.inputRecords.toLocaleString('en') + ' input records, ' + data.recording.labels.toLocaleString('en') + ' labels; ' + data.seconds + ' s';
const colours = ['#2563eb', '#dc2626', '#059669', '#d97706'];
const curves = [[], []];
data.variants.forEach((v, i) => {
  const f = v.figures, at = f.atThresholds;
  const box = el('section', '<h2>' + esc(v.name) + ' <span class="muted">(review ≥ ' + v.thresholds.review + ', decline ≥ ' + v.thresholds.decline + ')</span></h2>');
  box.append(el('div', rows(['', ''], [
    ['payments', f.payments.toLocaleString('en') + ' (' + f.fraudPayments.toLocaleString('en') + ' fraud)'],
    ['fraud instances caught', pct(at.instanceRecall) + ' of ' + f.instances],
    ['fraud amount stopped', pct(at.amountRecall)],
    ['false alerts', pct(at.falseAlertRate, 2)],
    ['false declines', at.falseDeclines + ' (€' + (at.falseDeclineEuroCents / 100).toFixed(0) + ')'],
    ['alerts per 1,000 payments', at.alertsPerThousandPayments.toFixed(1)],
  ])));
  box.append(el('div', rows(['behaviour', 'instances', 'caught'], Object.entries(f.instancesByBehaviour).map(([b, n]) => [b, n, pct(at.recallByBehaviour[b] ?? 0)]))));
  box.append(el('div', rows(['rule', 'hits', 'per 1,000', 'precision'], f.rules.map((r) => [r.ruleId, r.hits, r.hitsPerThousandPayments.toFixed(2), pct(r.precision)]))));
  const charts = el('div', '<div><canvas></canvas></div><div><canvas></canvas></div><div><canvas></canvas></div>');
  charts.className = 'charts';
  box.append(charts);
  document.getElementById('variants').append(box);
  const [pr, alerts, histogram] = charts.querySelectorAll('canvas');
  const line = (canvas, title, x, y, xTitle, yTitle, xMax) => new Chart(canvas, { type: 'line', data: { datasets: [{ label: v.name, data: f.curve.filter((p) => p[y] !== null && p[x] <= xMax).map((p) => ({ x: p[x], y: p[y], t: p.threshold })), borderColor: colours[i], pointRadius: 2, showLine: true }] },
    options: { maintainAspectRatio: false, parsing: false, plugins: { title: { display: true, text: title }, tooltip: { callbacks: { label: (c) => 'score ≥ ' + c.raw.t.toFixed(3) + ': ' + pct(c.raw.x, 2) + ', ' + pct(c.raw.y, 2) } } },
      scales: { x: { type: 'linear', title: { display: true, text: xTitle }, min: 0, max: xMax }, y: { title: { display: true, text: yTitle }, min: 0, max: 1 } } } });
  line(pr, 'Precision against recall (payments)', 'paymentRecall', 'precision', 'recall of fraud payments', 'precision', 1);
  // A fraud team works at false-alert rates of a few per cent at most: the axis shows up to twice the configured one's, at least 1 %.
  line(alerts, 'Fraud instances caught against false alerts', 'falseAlertRate', 'instanceRecall', 'false-alert rate (legitimate payments)', 'instances caught', Math.min(1, Math.max(0.01, 2 * at.falseAlertRate)));
  const bins = f.histogram.fraud.map((_, b) => (b / f.histogram.fraud.length).toFixed(2));
  new Chart(histogram, { type: 'bar', data: { labels: bins, datasets: [{ label: 'legitimate', data: f.histogram.legitimate, backgroundColor: '#94a3b8' }, { label: 'fraud', data: f.histogram.fraud, backgroundColor: colours[i] }] },
    options: { maintainAspectRatio: false, plugins: { title: { display: true, text: 'Payments by score' } }, scales: { x: { title: { display: true, text: 'score from' } }, y: { type: 'logarithmic', title: { display: true, text: 'payments' } } } } });
});
if (data.compare) {
  const c = data.compare, names = data.variants.map((v) => v.name);
  document.getElementById('compare').append(el('section', '<h2>' + esc(names[1]) + ' against ' + esc(names[0]) + '</h2><p>' + c.added.length + ' alerts added, ' + c.removed.length + ' removed.</p>' +
    rows(['added', 'removed'], Array.from({ length: Math.min(200, Math.max(c.added.length, c.removed.length)) }, (_, i) => [c.added[i] ?? '', c.removed[i] ?? '']))));
}
</script>
</body>
</html>
`;
  const path = join(dir, 'index.html');
  writeFileSync(path, page);
  return path;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
