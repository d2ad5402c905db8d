// The candidates of a finished workflow side by side, under the anonymous
// labels the selector saw, the selected one marked.
import { el, letter } from './dom.js';

export function render(box, reasonBox, wf, answer) {
  box.replaceChildren();
  const sel = wf.selector;
  let n = 0;
  (wf.workers || []).forEach((w, i) => {
    const ok = w.status === 'ok' || w.status === 'fallback';
    const label = ok ? `Response ${letter(n++)}` : 'no candidate';
    const selected = ok && sel && (sel.selected_label === label || (!sel.selected_label && sel.selected_worker === w.name));
    box.append(el('article', { class: `candidate${selected ? ' selected' : ''}${ok ? '' : ' failed'}`, 'data-label': label },
      el('header', {}, el('b', {}, label), selected ? el('span', { class: 'badge chosen' }, 'selected') : null,
        el('small', {}, ` worker ${letter(i)} · ${w.name}`)),
      ok ? el('pre', {}, w.response || (w.nested ? '(sub-workflow answer)' : '')) : el('p', { class: 'error' }, w.error || w.status)));
  });
  reasonBox.replaceChildren();
  if (sel) {
    reasonBox.append(el('b', {}, 'Selector: '), sel.status === 'ok'
      ? `chose ${sel.selected_label || '?'}${sel.reasoning ? ` — ${sel.reasoning}` : ''}`
      : `${sel.status}${sel.error ? `: ${sel.error}` : ''}`);
  }
  box.append(el('article', { class: 'candidate final' }, el('header', {}, el('b', {}, 'Final answer')), el('pre', {}, answer)));
}
