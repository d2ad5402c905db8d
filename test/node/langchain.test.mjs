// LangChain's ChatOpenAI (@langchain/openai), unchanged, against Chorus:
// invoke and stream over Chat Completions (its default) and over the
// Responses API (useResponsesApi).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { baseURL, WORKFLOW, PASSTHROUGH, uniquePrompt, assertEchoAnswer, assertUsage } from './lib/chorus.mjs';

function chat(model, extra = {}) {
  return new ChatOpenAI({
    model,
    apiKey: 'unused',
    configuration: { baseURL: `${baseURL}/v1` },
    maxRetries: 0,
    ...extra,
  });
}

const apis = [
  { name: 'Chat Completions', extra: {} },
  { name: 'the Responses API', extra: { useResponsesApi: true } },
];

describe('LangChain ChatOpenAI against Chorus', () => {
  for (const api of apis) {
    it(`invokes the workflow over ${api.name}`, async () => {
      const prompt = uniquePrompt('lc-invoke');
      const msg = await chat(WORKFLOW, api.extra).invoke([new SystemMessage('Be brief.'), new HumanMessage(prompt)]);
      assertEchoAnswer(msg.text, prompt);
      assertUsage(msg.usage_metadata.input_tokens, msg.usage_metadata.output_tokens, msg.usage_metadata.total_tokens);
    });

    it(`streams chunks that concatenate to the invoked answer over ${api.name}`, async () => {
      const prompt = uniquePrompt('lc-stream');
      const model = chat(WORKFLOW, api.extra);
      const plain = await model.invoke(prompt);
      let text = '';
      let chunks = 0;
      for await (const chunk of await model.stream(prompt)) {
        text += chunk.text;
        chunks++;
      }
      assert.ok(chunks > 2, `only ${chunks} chunks: the answer was not streamed`);
      assertEchoAnswer(text, prompt);
      assert.equal(text, plain.text);
    });
  }

  it('passes through to a named model', async () => {
    const prompt = uniquePrompt('lc-passthrough');
    const msg = await chat(PASSTHROUGH, { temperature: 0.3 }).invoke(prompt);
    assertEchoAnswer(msg.text, prompt, PASSTHROUGH);
  });
});
