// The timeline of a finished workflow: one row per stage and per upstream
// call, nested sub-workflows indented, bars placed by start and duration.
import { el, letter, secs } from './dom.js';

/** rows flattens a workflow trace into timeline rows. */
export function rows(wf, depth = 0, name = 'workflow') {
  const out = [{ kind: 'plan', label: `${name} · ${wf.plan}`, depth, call: { ...wf, model: wf.plan } }];
  const add = (kind, label, call) => call && out.push({ kind, label, depth: depth + 1, call });
  if (wf.analyzer) add('analyzer', 'analyzer', wf.analyzer);
  if (wf.routed) add('routed', 'routed', wf.routed);
  (wf.workers || []).forEach((w, i) => {
    if (w.nested) out.push(...rows(w.nested, depth + 1, `worker ${letter(i)}`));
    else add('worker', `worker ${letter(i)}`, w);
  });
  add('selector', 'selector', wf.selector);
  add('synthesizer', 'synthesizer', wf.synthesizer);
  return out;
}

const statusName = (s) => (s === 'error' ? 'failed' : s);

function details(row) {
  const c = row.call;
  const lines = [`${row.label}: ${c.model || ''}`, `status ${statusName(c.status)}, start ${secs(c.start_ms)}, ${secs(c.duration_ms)}`];
  if (c.temperature !== undefined && row.kind !== 'plan') lines.push(`temperature ${c.temperature} (${c.temperature_source || 'n/a'})`);
  if (c.usage) lines.push(`tokens ${c.usage.input_tokens} in + ${c.usage.output_tokens} out = ${c.usage.total_tokens}`);
  if (c.attempts > 1) lines.push(`attempts ${c.attempts}`);
  if (c.fallback_from) lines.push(`fallback from ${c.fallback_from}`);
  if (c.task_type) lines.push(`task ${c.task_type}`);
  if (c.reasoning) lines.push(`reason: ${c.reasoning}`);
  if (c.error) lines.push(`error: ${c.error}`);
  return lines.join('\n');
}

/** render draws the timeline of wf into box; detail shows a clicked row. */
export function render(box, detail, wf) {
  box.replaceChildren();
  detail.hidden = true;
  const total = Math.max(wf.duration_ms, 1);
  for (const row of rows(wf)) {
    const c = row.call;
    const left = Math.min(Math.max((100 * c.start_ms) / total, 0), 100);
    const width = Math.min(Math.max((100 * c.duration_ms) / total, 0), 100 - left);
    const status = statusName(c.status);
    const info = details(row);
    const meta = row.kind === 'plan' ? secs(c.duration_ms)
      : status === 'skipped' ? 'no call'
      : `${secs(c.duration_ms)} · t ${c.temperature} ${c.temperature_source || ''} · ${c.usage?.total_tokens ?? 0} tok`;
    box.append(el('div', {
      class: `row ${row.kind} status-${status}`, 'data-kind': row.kind, 'data-status': status,
      'data-error': c.error || null, title: info, tabindex: 0,
      onclick: () => { detail.textContent = info; detail.hidden = false; },
    },
    el('div', { class: 'label', style: { paddingLeft: `${row.depth * 1.1}em` } },
      el('b', {}, row.label), ' ', el('span', { class: 'model' }, row.kind === 'plan' ? '' : c.model || '')),
    // A skipped stage made no upstream call: a row without a bar.
    el('div', { class: 'track' }, status === 'skipped' ? null
      // The CSS gives a bar a minimum width so a sub-millisecond call stays
      // visible; its left edge moves back so that width stays in the track.
      : el('div', { class: 'bar', style: { left: `min(${left}%, 100% - var(--bar-min))`, width: `${width}%` } })),
    el('div', { class: 'meta' }, el('span', { class: 'badge' }, status), ' ', meta,
      c.error ? el('div', { class: 'row-error' }, c.error) : null)));
  }
}
