'use strict';
// Verdicts and the results table (printed, and written as Markdown to bench/results/latest.md).

/**
 * A table row from service / baseline figures and the targets that apply:
 *   minRatio        service req/s ≥ minRatio × baseline req/s (closed loop)
 *   maxP99Ratio     at the fixed rate, service p99 ≤ maxP99Ratio × baseline p99
 *   maxP99, maxP50  service p99 / p50 ≤ that many ms: at the fixed rate when the run has one
 */
function verdict(id, target, { service, baseline = null, fixed = null, mismatch = '' }, { minRatio, maxP99Ratio, maxP99, maxP50 } = {}) {
  const ratio = baseline && baseline.rps > 0 ? service.rps / baseline.rps : null;
  const latency = fixed?.service ?? service;
  const failures = [];
  if (minRatio !== undefined && !(ratio >= minRatio)) failures.push(`ratio < ${minRatio}`);
  if (maxP99Ratio !== undefined && !(fixed && latency.p99 <= maxP99Ratio * fixed.baseline.p99))
    failures.push(`p99 > ${maxP99Ratio}× baseline p99 at the fixed rate`);
  if (maxP99 !== undefined && !(latency.p99 <= maxP99)) failures.push(`p99 > ${maxP99} ms`);
  if (maxP50 !== undefined && !(latency.p50 <= maxP50)) failures.push(`p50 > ${maxP50} ms`);
  if (fixed?.service.errors) failures.push(`${fixed.service.errors} service errors/non-2xx at the fixed rate`);
  if (!service.total) failures.push('no service answers');
  if (baseline && !baseline.total) failures.push('no baseline answers');
  if (service.errors) failures.push(`${service.errors} service errors/non-2xx of ${service.total}`);
  if (baseline?.errors) failures.push(`${baseline.errors} baseline errors/non-2xx of ${baseline.total}`);
  // A baseline that answers differently is a harness problem (copied SQL out of date), noted but not judged.
  return {
    id,
    target,
    service,
    baseline,
    fixed,
    ratio,
    pass: failures.length === 0,
    notes: [...failures, mismatch && `WARNING ${mismatch}`].filter(Boolean).join('; '),
  };
}

/** A row with a single measured time (start-up): `seconds` against a limit. */
function timing(id, target, seconds, maxSeconds, notes = '') {
  return { id, target, seconds, pass: seconds <= maxSeconds, notes };
}

const num = (x) => (x == null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const ms = (x) => (x == null ? '–' : `${num(x)} ms`);

// Latency columns are at the fixed rate when the row has one (`@ rate`), else from the run itself (`closed`).
const HEADER = ['scenario', 'target', 'service req/s', 'baseline req/s', 'ratio', 'latency at', 'service p50', 'p99', 'baseline p50', 'p99', 'result', 'notes'];

function cells(row) {
  const s = row.service ?? {};
  const b = row.baseline ?? {};
  const ls = row.fixed?.service ?? s;
  const lb = row.fixed?.baseline ?? b;
  return [
    row.id,
    row.target,
    row.seconds !== undefined ? `${row.seconds.toFixed(2)} s` : num(s.rps),
    num(b.rps),
    row.ratio == null ? '–' : `${row.ratio.toFixed(2)}×`,
    row.fixed ? `${num(row.fixed.rate)} req/s` : row.seconds !== undefined ? '–' : 'closed',
    ms(ls.p50),
    ms(ls.p99),
    ms(lb.p50),
    ms(lb.p99),
    row.pass ? 'PASS' : 'FAIL',
    row.notes || '',
  ];
}

/** A Markdown table with padded columns, readable as plain text too. */
function render(rows) {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => [...r[i]].length)));
  const line = (r) => `| ${r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
  return [line(table[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n');
}

module.exports = { verdict, timing, render };
