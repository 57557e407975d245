'use strict';
/**
 * What the benchmarks share to talk to the platform: a JSON client of the gateway, percentiles,
 * a log line, a sleep and a millisecond clock.
 */

/** `call` answers {status, body}; `must` answers the body of a 2xx (or of `expected`) or throws. */
function gatewayClient(base) {
  async function call(method, urlPath, body, token) {
    const res = await fetch(`${base}${urlPath}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    return { status: res.status, body: json };
  }
  async function must(method, urlPath, body, token, expected) {
    const res = await call(method, urlPath, body, token);
    const ok = expected ? expected.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!ok) throw new Error(`${method} ${urlPath} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  return { call, must };
}

/** The p-th percentile of an ascending list (nearest rank); NaN when empty. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Runs a bench's main when the file is run (not when it is required): a failure exits 1. */
function runMain(mod, main) {
  if (require.main !== mod) return;
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}

module.exports = { gatewayClient, percentile, log, sleep, nowMs, runMain };
