// Structured output with unmodified clients, through the workflow model and
// in passthrough, against the Chorus over the scripted Go fake
// (test/fakeupstream/cmd/agentstack, started by scripts/test-node-clients.sh).
// The fake answers a request carrying a JSON schema with an instance of it
// whose strings are the answering model's name, so the parsed object tells
// whose answer came back; the fake's request log shows the schema reaching
// every worker and the synthesizer (the selector keeps its own prompt).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { generateObject, streamObject } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';

const agentURL = process.env.CHORUS_AGENT_URL;
const fakeURL = process.env.FAKE_UPSTREAM_URL;
if (!agentURL || !fakeURL) {
  throw new Error('CHORUS_AGENT_URL and FAKE_UPSTREAM_URL are not set: run scripts/test-node-clients.sh');
}
const WORKFLOW = 'chorus';
const WORKERS = ['tool-openai', 'tool-ollama'];
const SYNTHESIZER = 'tool-judge';

const client = new OpenAI({ baseURL: `${agentURL}/v1`, apiKey: 'unused', maxRetries: 0 });
const sdk = createOpenAI({ baseURL: `${agentURL}/v1`, apiKey: 'unused' });

const weather = z.object({ city: z.string(), temp: z.number(), sunny: z.boolean() });

/** The object the fake builds for the weather schema when model answers. */
const weatherFrom = (model) => ({ city: model, temp: 1, sunny: true });

/** The model whose answer a request for model returns: the workflow's is the synthesizer's. */
const answering = (model) => (model === WORKFLOW ? SYNTHESIZER : model);

/**
 * Asserts that every upstream call of this request (found by its unique
 * prompt) that produces an answer asked for the JSON schema named name:
 * OpenAI upstreams as response_format json_schema, Ollama ones as the bare
 * schema in format; selector calls carry none.
 */
async function assertSchemaReached(model, prompt, name) {
  const requests = (await (await fetch(`${fakeURL}/_fake/requests`)).json())
    .filter((r) => r.Messages.some((m) => m.Content.includes(prompt)));
  const expected = model === WORKFLOW ? [...WORKERS, SYNTHESIZER] : [model];
  for (const m of expected) {
    const calls = requests.filter((r) => r.Model === m && r.Kind === 'chat');
    assert.ok(calls.length > 0, `${m} was called for ${prompt}`);
    for (const r of calls) {
      if (m === 'tool-ollama') {
        assert.deepEqual(Object.keys(r.ResponseFormat?.properties ?? {}).sort(), ['city', 'sunny', 'temp'], `${m} gets the schema as format`);
      } else {
        assert.equal(r.ResponseFormat?.type, 'json_schema', `${m} gets response_format`);
        assert.equal(r.ResponseFormat.json_schema.name, name);
      }
    }
  }
  for (const r of requests.filter((r) => r.Kind === 'selector')) {
    assert.equal(r.ResponseFormat, null, 'the selector keeps its own prompt');
  }
}

describe('structured output against Chorus with a schema-following upstream', () => {
  for (const model of [WORKFLOW, ...WORKERS]) {
    for (const api of [{ name: 'the Responses API', make: (id) => sdk(id) }, { name: 'Chat Completions', make: (id) => sdk.chat(id) }]) {
      for (const fn of ['generateObject', 'streamObject']) {
        it(`AI SDK ${fn} over ${api.name} on ${model}`, async () => {
          const prompt = `weather ${randomUUID()}`;
          const schemaName = `weather_${randomUUID().slice(0, 8)}`;
          const options = { model: api.make(model), schema: weather, schemaName, prompt, maxRetries: 0 };
          let object;
          if (fn === 'generateObject') {
            ({ object } = await generateObject(options));
          } else {
            let streamError;
            const res = streamObject({ ...options, onError: ({ error }) => { streamError = error; } });
            let partials = 0;
            for await (const _ of res.partialObjectStream) partials++;
            if (streamError) throw streamError;
            assert.ok(partials > 0, 'partial objects were streamed');
            object = await res.object;
          }
          assert.deepEqual(object, weatherFrom(answering(model)));
          await assertSchemaReached(model, prompt, schemaName);
        });
      }
    }

    for (const stream of [false, true]) {
      it(`openai-node responses.parse with zodTextFormat on ${model} (stream ${stream})`, async () => {
        const prompt = `weather ${randomUUID()}`;
        const name = `weather_${randomUUID().slice(0, 8)}`;
        const body = { model, input: prompt, text: { format: zodTextFormat(weather, name) } };
        const res = stream ? await client.responses.stream(body).finalResponse() : await client.responses.parse(body);
        assert.equal(res.status, 'completed');
        assert.deepEqual(res.output_parsed, weatherFrom(answering(model)));
        await assertSchemaReached(model, prompt, name);
      });
    }
  }
});
