// ollama-js (the official Ollama client), unchanged, against Chorus's Ollama
// surface: discovery (version, tags, show, ps), chat and generate, plain and
// streamed (NDJSON).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { baseURL, WORKFLOW, PASSTHROUGH, uniquePrompt, assertEchoAnswer, assertUsage } from './lib/chorus.mjs';

const ollama = new Ollama({ host: baseURL });

describe('ollama-js against Chorus', () => {
  it('reports a numeric Ollama version', async () => {
    const { version } = await ollama.version();
    assert.match(version, /^\d+\.\d+\.\d+/);
  });

  it('lists the workflow and the configured models as tags', async () => {
    const { models } = await ollama.list();
    const names = models.map((m) => m.name);
    assert.equal(names[0], WORKFLOW);
    assert.ok(names.includes(PASSTHROUGH), `models: ${names}`);
    for (const m of models) {
      assert.equal(m.model, m.name);
      assert.ok(!Number.isNaN(Date.parse(m.modified_at)), `modified_at ${m.modified_at}`);
      assert.equal(typeof m.digest, 'string');
      assert.equal(typeof m.details?.family, 'string');
    }
  });

  it('shows a model with capabilities and a context length', async () => {
    const info = await ollama.show({ model: WORKFLOW });
    assert.ok(info.capabilities.includes('completion'), `capabilities ${info.capabilities}`);
    const arch = info.model_info['general.architecture'];
    assert.equal(typeof arch, 'string');
    const ctx = info.model_info[`${arch}.context_length`];
    assert.ok(Number.isInteger(ctx) && ctx > 0, `context length ${ctx}`);
    assert.equal(typeof info.details.family, 'string');
  });

  it('lists running models', async () => {
    const { models } = await ollama.ps();
    assert.ok(models.some((m) => m.name === WORKFLOW), `ps: ${models.map((m) => m.name)}`);
  });

  it('answers a chat through the workflow', async () => {
    const prompt = uniquePrompt('ollama-chat');
    const res = await ollama.chat({ model: WORKFLOW, messages: [{ role: 'user', content: prompt }] });
    assert.equal(res.done, true);
    assert.equal(res.done_reason, 'stop');
    assert.equal(res.message.role, 'assistant');
    assertEchoAnswer(res.message.content, prompt);
    assertUsage(res.prompt_eval_count, res.eval_count);
    assert.ok(res.total_duration > 0, `total_duration ${res.total_duration}`);
  });

  it('streams a chat whose chunks concatenate to the plain answer', async () => {
    const prompt = uniquePrompt('ollama-chat-stream');
    const messages = [{ role: 'user', content: prompt }];
    const plain = await ollama.chat({ model: WORKFLOW, messages });

    const stream = await ollama.chat({ model: WORKFLOW, messages, stream: true });
    let text = '';
    const parts = [];
    for await (const part of stream) parts.push(part);
    for (const part of parts) text += part.message.content;
    assert.ok(parts.length > 2, `only ${parts.length} parts: the answer was not streamed`);
    assert.ok(parts.slice(0, -1).every((p) => p.done === false), 'only the last part is done');
    const last = parts.at(-1);
    assert.equal(last.done, true);
    assert.equal(last.done_reason, 'stop');
    assert.equal(last.message.content, '', 'the final part carries no text');
    assertUsage(last.prompt_eval_count, last.eval_count);
    assertEchoAnswer(text, prompt);
    assert.equal(text, plain.message.content);
  });

  it('streams a generate on a named model', async () => {
    const prompt = uniquePrompt('ollama-generate');
    const plain = await ollama.generate({ model: PASSTHROUGH, prompt });
    assertEchoAnswer(plain.response, prompt, PASSTHROUGH);

    const stream = await ollama.generate({ model: PASSTHROUGH, prompt, stream: true });
    let text = '';
    let last;
    for await (const part of stream) {
      text += part.response;
      last = part;
    }
    assert.equal(last.done, true);
    assert.equal(last.done_reason, 'stop');
    assertEchoAnswer(text, prompt, PASSTHROUGH);
    assert.equal(text, plain.response);
  });

  it('surfaces a 400 as a ResponseError carrying the message text', async () => {
    // Ollama's error body is {"error":"<text>"}; ollama-js uses that value as
    // the Error's message, so any other shape reaches users as "[object Object]".
    await assert.rejects(ollama.chat({ model: WORKFLOW, messages: [] }), (err) => {
      assert.equal(err.name, 'ResponseError', `got ${err}`);
      assert.equal(err.status_code, 400);
      assert.equal(typeof err.error, 'string', `error is ${JSON.stringify(err.error)}`);
      assert.match(err.message, /messages/);
      return true;
    });
  });
});
