// The Vercel AI SDK (ai + @ai-sdk/openai), unchanged, against Chorus:
// generateText and streamText over the Responses API (the provider's default
// for openai(model)), Chat Completions (openai.chat) and Completions
// (openai.completion).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateText, streamText } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { baseURL, WORKFLOW, PASSTHROUGH, uniquePrompt, assertEchoAnswer, assertUsage } from './lib/chorus.mjs';

const openai = createOpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'unused' });

const apis = [
  { name: 'the Responses API', model: (id) => openai(id) },
  { name: 'Chat Completions', model: (id) => openai.chat(id) },
  { name: 'Completions', model: (id) => openai.completion(id) },
];

/** Runs streamText to the end and fails on any error part instead of letting the SDK swallow it. */
async function streamAll(options) {
  const result = streamText({ ...options, maxRetries: 0 });
  let text = '';
  const errors = [];
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') text += part.text;
    if (part.type === 'error') errors.push(part.error);
  }
  assert.deepEqual(errors, [], `stream errors: ${errors.map(String)}`);
  return { text, result };
}

describe('Vercel AI SDK against Chorus', () => {
  for (const api of apis) {
    it(`generates text through the workflow over ${api.name}`, async () => {
      const prompt = uniquePrompt('ai-generate');
      const res = await generateText({ model: api.model(WORKFLOW), prompt, maxRetries: 0 });
      assertEchoAnswer(res.text, prompt);
      assert.equal(res.finishReason, 'stop');
      assertUsage(res.usage.inputTokens, res.usage.outputTokens, res.usage.totalTokens);
    });

    it(`streams text whose deltas equal the generated text over ${api.name}`, async () => {
      const prompt = uniquePrompt('ai-stream');
      const plain = await generateText({ model: api.model(WORKFLOW), prompt, maxRetries: 0 });
      const { text, result } = await streamAll({ model: api.model(WORKFLOW), prompt });
      assertEchoAnswer(text, prompt);
      assert.equal(text, plain.text);
      assert.equal(await result.text, text);
      assert.equal(await result.finishReason, 'stop');
    });
  }

  it('sends a system prompt and message history to a named model over the Responses API', async () => {
    const prompt = uniquePrompt('ai-messages');
    const res = await generateText({
      model: openai(PASSTHROUGH),
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: prompt },
      ],
      maxRetries: 0,
    });
    assertEchoAnswer(res.text, prompt, PASSTHROUGH);
  });

  it('streams from a named model over Chat Completions with usage', async () => {
    const prompt = uniquePrompt('ai-chat-passthrough');
    const { text, result } = await streamAll({ model: openai.chat(PASSTHROUGH), prompt, temperature: 0.1 });
    assertEchoAnswer(text, prompt, PASSTHROUGH);
    const usage = await result.usage;
    assertUsage(usage.inputTokens, usage.outputTokens, usage.totalTokens);
  });
});
