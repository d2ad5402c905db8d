// The playground page: pick a model, chat with streaming progress, then see
// the workflow's timeline and candidates; past requests of this tab are kept
// in session storage.
import { AuthError, chatBody, curlOf, getKey, listModels, setKey, streamChat } from './api.js';
import { el, secs } from './dom.js';
import * as timeline from './timeline.js';
import * as candidates from './candidates.js';

const $ = (id) => document.getElementById(id);
const HISTORY = 'chorus.history';
let messages = [];
let lastBody = null;

function show(id, on) { $(id).hidden = !on; }

function fail(msg) {
  $('error').textContent = msg;
  show('error', Boolean(msg));
}

async function start() {
  try {
    const models = await listModels();
    $('model').replaceChildren(...models.map((m) => el('option', { value: m }, m)));
    show('key-form', false);
    for (const id of ['main', 'model-box', 'new-chat']) show(id, true);
    show('change-key', Boolean(getKey()));
    renderHistory();
    $('prompt').focus();
  } catch (e) {
    if (!(e instanceof AuthError)) { show('main', true); fail(`Cannot list models: ${e.message}`); return; }
    for (const id of ['main', 'model-box', 'new-chat']) show(id, false);
    $('key-error').textContent = getKey() ? 'That key was refused.' : '';
    show('key-error', Boolean(getKey()));
    show('key-form', true);
    $('key').focus();
  }
}

function renderConversation() {
  $('conversation').replaceChildren(...messages.map((m) => el('div', { class: `msg ${m.role}` }, el('b', {}, m.role), el('pre', {}, m.content))));
}

function renderResult(entry) {
  $('progress').textContent = entry.reasoning || '';
  show('progress-box', Boolean(entry.reasoning));
  $('answer').textContent = entry.text || '';
  show('answer', Boolean(entry.text));
  const wf = entry.workflow;
  show('timeline-box', Boolean(wf));
  show('candidates-box', Boolean(wf));
  if (!wf) return;
  const u = wf.usage || {};
  $('timeline-summary').textContent = `${wf.status} · ${secs(wf.duration_ms)} · ${u.total_tokens ?? 0} tokens · ${wf.workflow_id}`;
  timeline.render($('timeline'), $('detail'), wf);
  candidates.render($('candidates'), $('selector-reason'), wf, entry.text);
}

function history() {
  try { return JSON.parse(sessionStorage.getItem(HISTORY) || '[]'); } catch { return []; }
}

function remember(entry) {
  const list = [entry, ...history()].slice(0, 20);
  try { sessionStorage.setItem(HISTORY, JSON.stringify(list)); } catch { /* storage full: keep the page working */ }
  renderHistory();
}

function renderHistory() {
  const list = history();
  $('history').replaceChildren(...list.map((h, i) => el('li', {},
    el('button', { type: 'button', class: 'link', onclick: () => openPast(i) },
      `${new Date(h.at).toLocaleTimeString()} · ${h.body.model} · ${h.body.messages.at(-1).content.slice(0, 40)}`))));
  show('history-box', list.length > 0);
}

function openPast(i) {
  const h = history()[i];
  if (!h) return;
  messages = [...h.body.messages, { role: 'assistant', content: h.text }];
  $('model').value = h.body.model;
  lastBody = h.body;
  $('copy-curl').disabled = false;
  renderConversation();
  renderResult(h);
}

async function ask(ev) {
  ev.preventDefault();
  const prompt = $('prompt').value.trim();
  if (!prompt) return;
  fail('');
  messages.push({ role: 'user', content: prompt });
  renderConversation();
  $('prompt').value = '';
  const body = chatBody($('model').value, messages.slice());
  lastBody = body;
  $('copy-curl').disabled = false;
  const entry = { at: Date.now(), body, text: '', reasoning: '', workflow: null };
  renderResult(entry);
  $('send').disabled = true;
  try {
    Object.assign(entry, await streamChat(body, {
      onReasoning: (r) => { $('progress').textContent = r; show('progress-box', true); },
      onContent: (t) => { $('answer').textContent = t; show('answer', true); },
    }));
    messages.push({ role: 'assistant', content: entry.text });
    renderConversation();
    renderResult(entry);
    remember(entry);
  } catch (e) {
    messages.pop();
    if (e instanceof AuthError) { start(); return; }
    fail(e.message);
  } finally {
    $('send').disabled = false;
  }
}

async function copyCurl() {
  if (!lastBody) return;
  const text = curlOf(lastBody);
  $('curl').textContent = text;
  show('curl', true);
  try { await navigator.clipboard.writeText(text); $('copy-curl').textContent = 'Copied'; } catch { /* shown below the form instead */ }
  setTimeout(() => { $('copy-curl').textContent = 'Copy as curl'; }, 1500);
}

$('key-form').addEventListener('submit', (ev) => { ev.preventDefault(); setKey($('key').value.trim()); $('key').value = ''; start(); });
$('change-key').addEventListener('click', () => { setKey(''); start(); });
$('new-chat').addEventListener('click', () => {
  messages = [];
  renderConversation();
  renderResult({});
  fail('');
});
$('ask').addEventListener('submit', ask);
$('prompt').addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) $('ask').requestSubmit(); });
$('copy-curl').addEventListener('click', copyCurl);
start();
