// Two-step tool loops with unmodified clients (openai-node, its stream
// helper, the Vercel AI SDK, ollama-js), through the workflow model and in
// passthrough, against a Chorus whose upstreams are the scripted Go fake
// (test/fakeupstream/cmd/agentstack, started by scripts/test-node-clients.sh):
// the OpenAI worker calls the offered tool when the prompt contains USE_TOOL,
// the Ollama worker answers text. The fake's request log proves the tool
// result reached the upstreams on the second step.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { generateText, streamText, tool, stepCountIs } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';

const agentURL = process.env.CHORUS_AGENT_URL;
const fakeURL = process.env.FAKE_UPSTREAM_URL;
if (!agentURL || !fakeURL) {
  throw new Error('CHORUS_AGENT_URL and FAKE_UPSTREAM_URL are not set: run scripts/test-node-clients.sh');
}
const WORKFLOW = 'chorus';
const PASSTHROUGH = 'tool-openai';
const WORKERS = ['tool-openai', 'tool-ollama'];
const PROMPT = 'USE_TOOL weather in Paris';

const client = new OpenAI({ baseURL: `${agentURL}/v1`, apiKey: 'unused', maxRetries: 0 });
const ollama = new Ollama({ host: agentURL });
const sdk = createOpenAI({ baseURL: `${agentURL}/v1`, apiKey: 'unused' });

const weatherTool = {
  type: 'function',
  function: {
    name: 'weather', description: 'current weather',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
};
const responsesTool = { type: 'function', name: 'weather', description: 'current weather', parameters: weatherTool.function.parameters };

/** A tool result no other test returns. */
const toolResult = () => `sunny ${randomUUID().slice(0, 8)}`;

/** Asserts that each of models received a tool turn carrying result. */
async function assertToolResultReached(result, models) {
  const res = await fetch(`${fakeURL}/_fake/requests`);
  const requests = await res.json();
  for (const model of models) {
    const got = requests.some((r) => r.Model === model && r.Messages.some((m) => m.Role === 'tool' && m.Content.includes(result)));
    assert.ok(got, `${model} received the tool result ${result}`);
  }
}

function assertWeatherCall(call) {
  assert.equal(call.function.name, 'weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { query: 'weather in Paris' });
  assert.ok(call.id, 'a call id');
}

describe('tool loops against Chorus with a tool-calling upstream', () => {
  for (const model of [WORKFLOW, PASSTHROUGH]) {
    it(`openai-node chat.completions: two steps on ${model}`, async () => {
      const messages = [{ role: 'user', content: PROMPT }];
      const first = await client.chat.completions.create({ model, messages, tools: [weatherTool] });
      assert.equal(first.choices[0].finish_reason, 'tool_calls');
      const call = first.choices[0].message.tool_calls[0];
      assertWeatherCall(call);
      const result = toolResult();
      messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: result });
      const second = await client.chat.completions.create({ model, messages, tools: [weatherTool] });
      assert.equal(second.choices[0].finish_reason, 'stop');
      assert.ok(second.choices[0].message.content);
      await assertToolResultReached(result, model === WORKFLOW ? WORKERS : [model]);
    });

    it(`openai-node chat.completions.stream() finalChatCompletion: two steps on ${model}`, async () => {
      const messages = [{ role: 'user', content: PROMPT }];
      const first = await client.chat.completions.stream({ model, messages, tools: [weatherTool] }).finalChatCompletion();
      assert.equal(first.choices[0].finish_reason, 'tool_calls');
      const call = first.choices[0].message.tool_calls[0];
      assertWeatherCall(call);
      const result = toolResult();
      messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: result });
      const second = await client.chat.completions.stream({ model, messages, tools: [weatherTool] }).finalChatCompletion();
      assert.equal(second.choices[0].finish_reason, 'stop');
      assert.ok(second.choices[0].message.content);
      await assertToolResultReached(result, model === WORKFLOW ? WORKERS : [model]);
    });

    for (const stream of [false, true]) {
      it(`openai-node responses.create with a function_call_output turn on ${model} (stream ${stream})`, async () => {
        const input = [{ role: 'user', content: PROMPT }];
        const first = await responsesCreate({ model, input, tools: [responsesTool] }, stream);
        const call = first.output.find((o) => o.type === 'function_call');
        assert.ok(call, `a function_call item in ${JSON.stringify(first.output)}`);
        assert.equal(call.name, 'weather');
        assert.deepEqual(JSON.parse(call.arguments), { query: 'weather in Paris' });
        const result = toolResult();
        input.push(...first.output, { type: 'function_call_output', call_id: call.call_id, output: result });
        const second = await responsesCreate({ model, input, tools: [responsesTool] }, stream);
        assert.ok(second.output_text, 'a text answer on the second step');
        assert.ok(!second.output.some((o) => o.type === 'function_call'), 'no second call: the upstream saw the result');
        await assertToolResultReached(result, model === WORKFLOW ? WORKERS : [model]);
      });
    }

    for (const api of [{ name: 'Chat Completions', make: (id) => sdk.chat(id) }, { name: 'the Responses API', make: (id) => sdk(id) }]) {
      for (const fn of ['generateText', 'streamText']) {
        it(`AI SDK ${fn} runs an executing tool over ${api.name} on ${model}`, async () => {
          const result = toolResult();
          let executed = 0;
          const options = {
            model: api.make(model), prompt: PROMPT, maxRetries: 0, stopWhen: stepCountIs(4),
            tools: {
              weather: tool({
                description: 'current weather',
                inputSchema: z.object({ query: z.string() }),
                execute: async ({ query }) => { executed++; assert.equal(query, 'weather in Paris'); return result; },
              }),
            },
          };
          let steps;
          let text;
          if (fn === 'generateText') {
            ({ steps, text } = await generateText(options));
          } else {
            const res = streamText(options);
            for await (const part of res.fullStream) {
              if (part.type === 'error') throw part.error;
            }
            steps = await res.steps;
            text = await res.text;
          }
          assert.equal(executed, 1, 'the tool ran once');
          assert.equal(steps.length, 2, 'a tool step, then the answer');
          assert.equal(steps[0].finishReason, 'tool-calls');
          assert.ok(text, 'a final text');
          await assertToolResultReached(result, model === WORKFLOW ? WORKERS : [model]);
        });
      }
    }
  }

  for (const stream of [false, true]) {
    it(`openai-node responses.create forwards text.format json_schema to the upstream (stream ${stream})`, async () => {
      const name = `city_${randomUUID().slice(0, 8)}`;
      const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
      const res = await responsesCreate({ model: PASSTHROUGH, input: 'a city?', text: { format: { type: 'json_schema', name, schema, strict: true } } }, stream);
      assert.equal(res.status, 'completed');
      const requests = await (await fetch(`${fakeURL}/_fake/requests`)).json();
      const got = requests.find((r) => r.ResponseFormat?.json_schema?.name === name);
      assert.ok(got, 'the upstream received the format');
      assert.deepEqual(got.ResponseFormat, { type: 'json_schema', json_schema: { name, schema, strict: true } });
    });
  }

  for (const stream of [false, true]) {
    it(`ollama-js chat with tools: two steps through the workflow (stream ${stream})`, async () => {
      const messages = [{ role: 'user', content: PROMPT }];
      const first = await ollamaChat({ model: WORKFLOW, messages, tools: [weatherTool] }, stream);
      const call = first.message.tool_calls?.[0];
      assert.ok(call, `tool_calls in ${JSON.stringify(first.message)}`);
      assert.equal(call.function.name, 'weather');
      assert.deepEqual(call.function.arguments, { query: 'weather in Paris' }, 'Ollama arguments are an object');
      const result = toolResult();
      messages.push(first.message, { role: 'tool', tool_name: 'weather', content: result });
      const second = await ollamaChat({ model: WORKFLOW, messages, tools: [weatherTool] }, stream);
      assert.ok(second.message.content);
      assert.ok(!second.message.tool_calls?.length);
      await assertToolResultReached(result, WORKERS);
    });
  }
});

/** responses.create, collecting a stream's response.completed. */
async function responsesCreate(body, stream) {
  if (!stream) return client.responses.create(body);
  const events = await client.responses.create({ ...body, stream: true });
  let completed;
  const args = new Map();
  for await (const ev of events) {
    if (ev.type === 'response.function_call_arguments.delta') args.set(ev.item_id, (args.get(ev.item_id) ?? '') + ev.delta);
    if (ev.type === 'response.function_call_arguments.done') assert.equal(args.get(ev.item_id), ev.arguments, 'deltas add up');
    if (ev.type === 'response.completed') completed = ev.response;
  }
  assert.ok(completed, 'a response.completed event');
  return completed;
}

/** ollama.chat, folding a stream into one message. */
async function ollamaChat(body, stream) {
  if (!stream) return ollama.chat({ ...body, stream: false });
  const message = { role: 'assistant', content: '', tool_calls: [] };
  for await (const part of await ollama.chat({ ...body, stream: true })) {
    message.content += part.message.content ?? '';
    message.tool_calls.push(...(part.message.tool_calls ?? []));
  }
  if (!message.tool_calls.length) delete message.tool_calls;
  return { message };
}
