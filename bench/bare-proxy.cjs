'use strict';
/**
 * The floor of the gateway's process model, for `gateway-overhead`'s second-gateway slot:
 *
 *   BENCH_GATEWAY_B=bench/bare-proxy.cjs node bench/gateway-overhead.cjs
 *
 * A node:http server that forwards every request to BILLING_URL through an undici Pool
 * (`pool.stream`, the gateway's own upstream client) and nothing else: no authentication, no rate
 * limits, no request ids, metrics or breaker. What it costs per request is what any gateway built
 * on Node's HTTP server and undici pays before doing its own work. Not a service: a measuring stick.
 */
const http = require('node:http');
const path = require('node:path');

const { Pool } = require(
  require.resolve('undici', { paths: [path.resolve(__dirname, '..', 'services', 'gateway')] }),
);

const pool = new Pool(process.env.BILLING_URL, { connections: 256, keepAliveTimeout: 10_000 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

http
  .createServer((req, res) => {
    if (req.url === '/readyz') return res.end('ok');
    const headers = {};
    for (const name in req.headers) if (!HOP_BY_HOP.has(name)) headers[name] = req.headers[name];
    pool
      .stream({ path: req.url, method: req.method, headers }, ({ statusCode, headers: answer }) => {
        for (const name in answer) if (!HOP_BY_HOP.has(name)) res.setHeader(name, answer[name]);
        res.statusCode = statusCode;
        return res;
      })
      .catch(() => res.destroy());
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
