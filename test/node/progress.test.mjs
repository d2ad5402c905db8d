// Workflow progress as reasoning, seen by real clients, unchanged: the lines
// (`worker A done in …`, `selector chose …`) arrive in each protocol's
// reasoning channel before the answer's first content, and none arrive with
// `X-Chorus-Progress: off` (or Ollama's `think: false`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { streamText } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { baseURL, WORKFLOW, uniquePrompt, assertEchoAnswer } from './lib/chorus.mjs';

const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 20_000 });
const off = { headers: { 'X-Chorus-Progress': 'off' } };

/** Asserts progress text names the stages and no model. */
function assertProgress(text) {
  assert.match(text, /^worker [A-Z] done in \d+\.\d s \(\d+ tokens\)$/m, `progress: ${text}`);
  assert.match(text, /^selector /m, `progress: ${text}`);
  assert.doesNotMatch(text, /echo-/, 'progress lines are anonymous');
}

describe('progress as reasoning', () => {
  it('openai-node: reasoning_content deltas come before the first content delta', async () => {
    const prompt = uniquePrompt('progress-chat');
    const stream = await client.chat.completions.create({ model: WORKFLOW, stream: true, messages: [{ role: 'user', content: prompt }] });
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta ?? {};
      if (delta.reasoning_content) {
        assert.equal(text, '', 'no reasoning after the answer started');
        reasoning += delta.reasoning_content;
      }
      text += delta.content ?? '';
    }
    assertProgress(reasoning);
    assertEchoAnswer(text, prompt);
  });

  it('openai-node: with X-Chorus-Progress: off no reasoning arrives', async () => {
    const prompt = uniquePrompt('progress-off');
    const stream = await client.chat.completions.create({ model: WORKFLOW, stream: true, messages: [{ role: 'user', content: prompt }] }, off);
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta ?? {};
      assert.equal(delta.reasoning_content, undefined, 'progress off: no reasoning_content');
      text += delta.content ?? '';
    }
    assertEchoAnswer(text, prompt);
  });

  it('openai-node: the Responses stream helper parses the reasoning summary events before the message', async () => {
    const prompt = uniquePrompt('progress-responses');
    const stream = client.responses.stream({ model: WORKFLOW, input: prompt });
    const types = [];
    let summary = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.reasoning_summary_text.delta') summary += event.delta;
    }
    const final = await stream.finalResponse();
    assertProgress(summary);
    assert.ok(types.indexOf('response.reasoning_summary_text.done') < types.indexOf('response.output_text.delta'), types.join(' '));
    assert.equal(final.output[0].type, 'reasoning');
    assert.equal(final.output[0].summary[0].text, summary);
    assertEchoAnswer(final.output_text, prompt);
  });

  it('the Vercel AI SDK surfaces the progress as reasoning parts (Responses API)', async () => {
    const openai = createOpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'unused' });
    const prompt = uniquePrompt('progress-ai');
    const result = streamText({ model: openai(WORKFLOW), prompt, maxRetries: 0 });
    let reasoning = '';
    let text = '';
    const errors = [];
    for await (const part of result.fullStream) {
      if (part.type === 'reasoning-delta') {
        assert.equal(text, '', 'reasoning parts come before the text');
        reasoning += part.text;
      }
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'error') errors.push(part.error);
    }
    assert.deepEqual(errors, [], `stream errors: ${errors.map(String)}`);
    assertProgress(reasoning);
    assertEchoAnswer(text, prompt);
  });

  it('ollama-js: message.thinking comes before the content; think: false turns it off', async () => {
    const ollama = new Ollama({ host: baseURL });
    const prompt = uniquePrompt('progress-ollama');
    let thinking = '';
    let text = '';
    for await (const part of await ollama.chat({ model: WORKFLOW, stream: true, messages: [{ role: 'user', content: prompt }] })) {
      if (part.message.thinking) {
        assert.equal(text, '', 'no thinking after the answer started');
        thinking += part.message.thinking;
      }
      text += part.message.content;
    }
    assertProgress(thinking);
    assertEchoAnswer(text, prompt);

    text = '';
    for await (const part of await ollama.chat({ model: WORKFLOW, stream: true, think: false, messages: [{ role: 'user', content: prompt }] })) {
      assert.equal(part.message.thinking, undefined, 'think: false: no thinking');
      text += part.message.content;
    }
    assertEchoAnswer(text, prompt);
  });
});
