// Shared helpers for the Node client tests: where Chorus listens and what an
// answer of the demo config's offline "echo" provider looks like.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

/**
 * Base URL of the Chorus under test (no trailing slash), e.g.
 * http://127.0.0.1:12345. scripts/test-node-clients.sh starts Chorus with the
 * embedded demo config and exports it.
 */
export const baseURL = (() => {
  const url = process.env.CHORUS_BASE_URL;
  if (!url) {
    throw new Error('CHORUS_BASE_URL is not set: run scripts/test-node-clients.sh');
  }
  return url.replace(/\/+$/, '');
})();

/** The workflow name the demo config serves (first in /v1/models). */
export const WORKFLOW = 'chorus';

/** A demo model served directly (passthrough, no workflow). */
export const PASSTHROUGH = 'echo-alpha';

/**
 * A prompt no other test sends: the echo provider repeats it, so finding it in
 * an answer proves the answer was generated for this very request.
 */
export function uniquePrompt(label) {
  return `${label} ${randomUUID().slice(0, 8)}`;
}

/**
 * Asserts text is an echo-provider answer to prompt: it starts with
 * "[echo <model> " and repeats the prompt. For the workflow the outer model is
 * the synthesizer, whose answer quotes the selected worker's draft.
 */
export function assertEchoAnswer(text, prompt, model) {
  assert.equal(typeof text, 'string', `answer is not a string: ${JSON.stringify(text)}`);
  assert.ok(text.length > 0, 'answer is empty');
  assert.match(text, /^\[echo /, `answer does not come from the echo provider: ${JSON.stringify(text)}`);
  if (model) {
    assert.ok(text.startsWith(`[echo ${model} `), `answer is not from ${model}: ${JSON.stringify(text)}`);
  }
  assert.ok(text.includes(prompt), `answer does not repeat the prompt ${JSON.stringify(prompt)}: ${JSON.stringify(text)}`);
}

/** Asserts a usage triple of positive counts whose total is their sum. */
export function assertUsage(input, output, total) {
  assert.ok(Number.isInteger(input) && input > 0, `input tokens ${input}`);
  assert.ok(Number.isInteger(output) && output > 0, `output tokens ${output}`);
  if (total !== undefined) {
    assert.equal(total, input + output, 'total tokens = input + output');
  }
}
