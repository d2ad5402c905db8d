// The playground's calls to Chorus' public API. URLs are relative to the
// page (…/ui/), so the page works behind a reverse-proxy path prefix.
const KEY = 'chorus.key';

export const apiURL = (path) => new URL(`../${path}`, document.baseURI).href;

export const getKey = () => sessionStorage.getItem(KEY) || '';
export const setKey = (k) => (k ? sessionStorage.setItem(KEY, k) : sessionStorage.removeItem(KEY));

export class AuthError extends Error {}

function headers(extra = {}) {
  const h = { ...extra };
  if (getKey()) h.Authorization = `Bearer ${getKey()}`;
  return h;
}

async function failure(res) {
  let msg = `HTTP ${res.status}`;
  try {
    const body = await res.json();
    msg = body.error?.message || msg;
  } catch { /* not JSON */ }
  return res.status === 401 ? new AuthError(msg) : new Error(msg);
}

/** Lists the models: the workflow first, then the configured models. */
export async function listModels() {
  const res = await fetch(apiURL('v1/models'), { headers: headers() });
  if (!res.ok) throw await failure(res);
  return (await res.json()).data.map((m) => m.id);
}

/** The body of a streamed chat request that returns the workflow trace. */
export function chatBody(model, messages) {
  return { model, messages, stream: true, include_workflow: true, stream_options: { include_usage: true } };
}

/**
 * Streams a chat completion. onReasoning gets progress lines and upstream
 * reasoning, onContent the answer; resolves with the whole result.
 */
export async function streamChat(body, { onReasoning, onContent, signal }) {
  const res = await fetch(apiURL('v1/chat/completions'), {
    method: 'POST', signal, body: JSON.stringify(body),
    headers: headers({ 'Content-Type': 'application/json', 'X-Chorus-Progress': 'reasoning' }),
  });
  if (!res.ok) throw await failure(res);
  const out = { text: '', reasoning: '', workflow: null, usage: null };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, end);
      buf = buf.slice(end + 2);
      for (const line of frame.split('\n')) {
        if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
        const chunk = JSON.parse(line.slice(6));
        if (chunk.error) throw new Error(chunk.error.message || 'stream error');
        const delta = chunk.choices?.[0]?.delta ?? {};
        if (delta.reasoning_content) { out.reasoning += delta.reasoning_content; onReasoning(out.reasoning); }
        if (delta.content) { out.text += delta.content; onContent(out.text); }
        if (chunk.workflow) out.workflow = chunk.workflow;
        if (chunk.usage) out.usage = chunk.usage;
      }
    }
  }
  return out;
}

/** The same request as a curl command (the key as $CHORUS_API_KEY, never its value). */
export function curlOf(body) {
  const auth = getKey() ? ` \\\n  -H "Authorization: Bearer $CHORUS_API_KEY"` : '';
  const json = JSON.stringify(body).replaceAll("'", "'\\''");
  return `curl -N ${apiURL('v1/chat/completions')} \\\n  -H 'Content-Type: application/json'${auth} \\\n  -d '${json}'`;
}
