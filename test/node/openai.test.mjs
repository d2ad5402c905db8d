// openai-node (the official OpenAI SDK), unchanged, against Chorus: models,
// Chat Completions (plain, streamed, the .stream() helper, usage chunk),
// legacy Completions, the Responses API (plain, streamed, the .stream()
// helper), the error shape, and passthrough to a named model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { baseURL, WORKFLOW, PASSTHROUGH, uniquePrompt, assertEchoAnswer, assertUsage } from './lib/chorus.mjs';

const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 20_000 });

describe('openai-node against Chorus', () => {
  it('lists the workflow first, then the configured models', async () => {
    const ids = [];
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model');
      assert.ok(Number.isInteger(model.created) && model.created > 0, `created ${model.created}`);
      assert.equal(typeof model.owned_by, 'string');
      ids.push(model.id);
    }
    assert.equal(ids[0], WORKFLOW);
    assert.ok(ids.includes(PASSTHROUGH), `models: ${ids}`);
  });

  it('answers a chat completion through the workflow', async () => {
    const prompt = uniquePrompt('chat');
    const res = await client.chat.completions.create({
      model: WORKFLOW,
      messages: [{ role: 'user', content: prompt }],
    });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, WORKFLOW);
    assert.equal(res.choices.length, 1);
    assert.equal(res.choices[0].message.role, 'assistant');
    assert.equal(res.choices[0].finish_reason, 'stop');
    assertEchoAnswer(res.choices[0].message.content, prompt);
    assertUsage(res.usage.prompt_tokens, res.usage.completion_tokens, res.usage.total_tokens);
  });

  it('streams a chat completion whose chunks concatenate to the plain answer', async () => {
    const prompt = uniquePrompt('chat-stream');
    const messages = [{ role: 'user', content: prompt }];
    const plain = await client.chat.completions.create({ model: WORKFLOW, messages });

    const stream = await client.chat.completions.create({ model: WORKFLOW, messages, stream: true });
    let text = '';
    const ids = new Set();
    const finishReasons = [];
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      assert.equal(chunk.object, 'chat.completion.chunk');
      ids.add(chunk.id);
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? '';
        if (choice.finish_reason) finishReasons.push(choice.finish_reason);
      }
    }
    assert.ok(chunks > 2, `only ${chunks} chunks: the answer was not streamed`);
    assert.equal(ids.size, 1, 'every chunk carries the same id');
    assert.deepEqual(finishReasons, ['stop']);
    assertEchoAnswer(text, prompt);
    assert.equal(text, plain.choices[0].message.content);
  });

  it('assembles a final chat completion with the .stream() helper', async () => {
    const prompt = uniquePrompt('chat-helper');
    const stream = client.chat.completions.stream({
      model: WORKFLOW,
      messages: [{ role: 'user', content: prompt }],
    });
    let deltas = '';
    stream.on('content', (delta) => {
      deltas += delta;
    });
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0].finish_reason, 'stop');
    assert.equal(final.choices[0].message.role, 'assistant');
    assertEchoAnswer(final.choices[0].message.content, prompt);
    assert.equal(deltas, final.choices[0].message.content);
  });

  it('sends a usage chunk with no choices when include_usage is set', async () => {
    const prompt = uniquePrompt('chat-usage');
    const stream = await client.chat.completions.create({
      model: WORKFLOW,
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, [], 'the usage chunk has an empty choices array');
    assertUsage(last.usage.prompt_tokens, last.usage.completion_tokens, last.usage.total_tokens);
    for (const chunk of chunks.slice(0, -1)) {
      assert.equal(chunk.usage ?? null, null, 'only the last chunk carries usage');
      assert.equal(chunk.choices.length, 1);
    }
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assertEchoAnswer(text, prompt);
  });

  it('answers a legacy completion', async () => {
    const prompt = uniquePrompt('completion');
    const res = await client.completions.create({ model: PASSTHROUGH, prompt });
    assert.equal(res.object, 'text_completion');
    assert.equal(res.choices[0].finish_reason, 'stop');
    assertEchoAnswer(res.choices[0].text, prompt, PASSTHROUGH);
    assertUsage(res.usage.prompt_tokens, res.usage.completion_tokens, res.usage.total_tokens);
  });

  it('answers a Responses API request', async () => {
    const prompt = uniquePrompt('responses');
    const res = await client.responses.create({ model: WORKFLOW, input: prompt });
    assert.equal(res.object, 'response');
    assert.match(res.id, /^resp_/);
    assert.equal(res.status, 'completed');
    assert.equal(res.output[0].type, 'message');
    assert.equal(res.output[0].content[0].type, 'output_text');
    assertEchoAnswer(res.output_text, prompt);
    assert.equal(res.output[0].content[0].text, res.output_text);
    assertUsage(res.usage.input_tokens, res.usage.output_tokens, res.usage.total_tokens);
  });

  it('streams Responses events in order, ending with response.completed', async () => {
    const prompt = uniquePrompt('responses-stream');
    const plain = await client.responses.create({ model: WORKFLOW, input: prompt });

    const stream = await client.responses.create({ model: WORKFLOW, input: prompt, stream: true });
    const types = [];
    let seq = -1;
    let deltas = '';
    let completed;
    for await (const event of stream) {
      types.push(event.type);
      assert.ok(event.sequence_number > seq, `sequence_number ${event.sequence_number} after ${seq}`);
      seq = event.sequence_number;
      if (event.type === 'response.output_text.delta') deltas += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.equal(types[0], 'response.created');
    assert.equal(types.at(-1), 'response.completed');
    const firstDelta = types.indexOf('response.output_text.delta');
    assert.ok(firstDelta > types.indexOf('response.output_item.added'), `order: ${types}`);
    assert.ok(firstDelta > types.indexOf('response.content_part.added'), `order: ${types}`);
    assertEchoAnswer(deltas, prompt);
    assert.equal(deltas, plain.output_text);
    // A workflow stream opens a reasoning item (progress lines) before the message.
    assert.equal(completed.output.find((item) => item.type === 'message').content[0].text, deltas);
    assertUsage(completed.usage.input_tokens, completed.usage.output_tokens, completed.usage.total_tokens);
  });

  it('assembles the final response with the Responses .stream() helper', async () => {
    const prompt = uniquePrompt('responses-helper');
    const stream = client.responses.stream({ model: WORKFLOW, input: prompt });
    let deltas = '';
    stream.on('response.output_text.delta', (event) => {
      deltas += event.delta;
    });
    const final = await stream.finalResponse();
    assert.equal(final.status, 'completed');
    assertEchoAnswer(final.output_text, prompt);
    assert.equal(deltas, final.output_text);
  });

  it('accepts Responses input as message items with instructions', async () => {
    const prompt = uniquePrompt('responses-items');
    const res = await client.responses.create({
      model: PASSTHROUGH,
      instructions: 'Answer briefly.',
      input: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: [{ type: 'input_text', text: prompt }] },
      ],
    });
    assertEchoAnswer(res.output_text, prompt, PASSTHROUGH);
  });

  it('surfaces a 400 as an APIError with the OpenAI error body', async () => {
    await assert.rejects(client.responses.create({}), (err) => {
      assert.ok(err instanceof OpenAI.APIError, `not an APIError: ${err}`);
      assert.ok(err instanceof OpenAI.BadRequestError, `not a BadRequestError: ${err}`);
      assert.equal(err.status, 400);
      assert.equal(err.error?.message, 'invalid request: missing input/messages/prompt/instructions');
      assert.equal(err.type, 'invalid_request_error');
      assert.ok(err.requestID, 'the x-request-id header reaches the error');
      return true;
    });
  });

  it('passes a chat completion through to a named model', async () => {
    const prompt = uniquePrompt('passthrough');
    const res = await client.chat.completions.create({
      model: PASSTHROUGH,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: prompt },
      ],
      temperature: 0.2,
      max_tokens: 64,
    });
    assert.equal(res.model, PASSTHROUGH);
    assertEchoAnswer(res.choices[0].message.content, prompt, PASSTHROUGH);
  });

  it('streams a passthrough chat completion', async () => {
    const prompt = uniquePrompt('passthrough-stream');
    const stream = client.chat.completions.stream({
      model: PASSTHROUGH,
      messages: [{ role: 'user', content: prompt }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    assertEchoAnswer(final.choices[0].message.content, prompt, PASSTHROUGH);
    assertUsage(final.usage.prompt_tokens, final.usage.completion_tokens, final.usage.total_tokens);
  });
});
