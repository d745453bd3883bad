'use strict';
// Verdicts and the results table (printed, and written as Markdown to bench/results/latest.md).

/**
 * A table row from service / baseline figures and the targets that apply:
 *   minRatio  service req/s ≥ minRatio × baseline req/s
 *   maxP99    service p99 ≤ maxP99 ms
 *   maxP50    service p50 ≤ maxP50 ms
 */
function verdict(id, target, { service, baseline = null, mismatch = '' }, { minRatio, maxP99, maxP50 } = {}) {
  const ratio = baseline && baseline.rps > 0 ? service.rps / baseline.rps : null;
  const failures = [];
  if (minRatio !== undefined && !(ratio >= minRatio)) failures.push(`ratio < ${minRatio}`);
  if (maxP99 !== undefined && !(service.p99 <= maxP99)) failures.push(`p99 > ${maxP99} ms`);
  if (maxP50 !== undefined && !(service.p50 <= maxP50)) failures.push(`p50 > ${maxP50} ms`);
  if (!service.total) failures.push('no service answers');
  if (baseline && !baseline.total) failures.push('no baseline answers');
  if (service.errors) failures.push(`${service.errors} service errors/non-2xx of ${service.total}`);
  if (baseline?.errors) failures.push(`${baseline.errors} baseline errors/non-2xx of ${baseline.total}`);
  // A baseline that answers differently is a harness problem (copied SQL out of date), noted but not judged.
  return { id, target, service, baseline, ratio, pass: failures.length === 0, notes: [...failures, mismatch && `WARNING ${mismatch}`].filter(Boolean).join('; ') };
}

/** A row with a single measured time (start-up): `seconds` against a limit. */
function timing(id, target, seconds, maxSeconds, notes = '') {
  return { id, target, seconds, pass: seconds <= maxSeconds, notes };
}

const num = (x) => (x == null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const ms = (x) => (x == null ? '–' : `${num(x)} ms`);

const HEADER = ['scenario', 'target', 'service req/s', 'p50', 'p99', 'baseline req/s', 'p50', 'p99', 'ratio', 'result', 'notes'];

function cells(row) {
  const s = row.service ?? {};
  const b = row.baseline ?? {};
  return [
    row.id,
    row.target,
    row.seconds !== undefined ? `${row.seconds.toFixed(2)} s` : num(s.rps),
    ms(s.p50),
    ms(s.p99),
    num(b.rps),
    ms(b.p50),
    ms(b.p99),
    row.ratio == null ? '–' : `${row.ratio.toFixed(2)}×`,
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
