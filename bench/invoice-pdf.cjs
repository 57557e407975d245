'use strict';
/**
 * Invoice PDF rendering (issue 17): how long 100 invoices take to render through the gateway.
 *
 *   node bench/invoice-pdf.cjs        (infra up: Kafka, FerretDB, Redis; services built)
 *
 * Starts the whole platform on ports of its own (services 26401-26405, gateway 26480) with its
 * own databases and topic prefix. One tenant with a billing address, tax id and a PNG logo,
 * BENCH_CUSTOMERS (10) customers (every other one named in Bengali) and BENCH_INVOICES (100)
 * issued invoices of BENCH_LINES (5) lines each (every other line described in Bengali). One
 * invoice is rendered first and timed apart (`first_render_ms`: the process loads and parses its
 * fonts then, when the billing process did not at start); then each of the 100 is asked once, one after another (GET
 * /api/bills/invoices/{id}/pdf, the whole body read):
 * - render_100_s: wall time of the 100 sequential GETs (acceptance: under 10 s);
 * - p50_ms, p99_ms: per GET, from the request until its last byte;
 * - json_get_p50_ms: the median GET of the same invoices as JSON (asked before the PDFs): the
 *   gateway, token and invoice read a PDF's GET also pays, without rendering;
 * - mean_kib: the mean file size; identical_bytes: a second GET of one invoice gave the same file.
 * Writes bench/results/invoice-pdf-<time>.json and bench/results/latest/invoice-pdf.json.
 */
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const { benchRun, startBenchPlatform } = require('./support/bench-platform.cjs');
const { stopAndDrop } = require('./support/run-data.cjs');
const { cpuOf, cpuPerOp } = require('./support/processes.cjs');
const { writeResults } = require('./support/results.cjs');
const { gatewayClient, percentile, log, nowMs, runMain } = require('./support/gateway-client.cjs');

const BASE_PORT = 26400;
const GATEWAY_PORT = 26480;
const GATEWAY = `http://127.0.0.1:${GATEWAY_PORT}`;
const INVOICES = Number(process.env.BENCH_INVOICES ?? 100);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10);
const LINES = Number(process.env.BENCH_LINES ?? 5);

const { must } = gatewayClient(GATEWAY);

/** A 200×60 PNG (a plausible logo: an 8-bit RGB band pattern), made here so nothing is shipped. */
function logoPng() {
  const width = 200;
  const height = 60;
  const crc = (buf) => zlib.crc32(buf);
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([20 + (x % 200), 90, 160 - (y % 60)], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function setUp(id) {
  const username = `${id}_owner`;
  await must('POST', '/api/auth/register', {
    username,
    password: 'a long bench password',
    email: `${username}@example.com`,
    full_name: 'Bench Owner',
    type: 'organization',
    organization_name: 'Bench ISP',
  });
  const token = (
    await must('POST', '/api/auth/login', { username, password: 'a long bench password' })
  ).data.token;
  await must(
    'PATCH',
    '/v1/account/settings/',
    {
      name: 'Bench ISP Ltd',
      billing_address_line1: 'House 12, Road 5',
      billing_city: 'Dhaka',
      billing_country: 'BD',
      tax_id: 'BIN-000123456',
      billing_email: 'billing@bench.example',
    },
    token,
  );
  const logo = await fetch(`${GATEWAY}/v1/account/logo`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
    body: logoPng(),
  });
  if (logo.status !== 200) throw new Error(`logo: ${logo.status} ${await logo.text()}`);
  const customers = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const name = c % 2 === 0 ? `রহিম স্টোর ${c}` : `Customer ${c} Trading`;
    const created = await must(
      'POST',
      '/api/customers/customers/',
      { customer_name: name, customer_type: 'bw', currency: 'BDT', address: '১২ মতিঝিল, ঢাকা' },
      token,
    );
    customers.push(created.data.id);
  }
  const invoices = [];
  for (let i = 0; i <= INVOICES; i++) {
    const details = Array.from({ length: LINES }, (_, l) => ({
      sub_total: `${100 + i * 3 + l}.${String((i * 7 + l) % 100).padStart(2, '0')}`,
      vat_rate: 15,
      sub_discount_rate: l % 3 === 0 ? 5 : 0,
      remarks: l % 2 === 0 ? `ইন্টারনেট ${l + 1} (২০ এমবিপিএস)` : `Bandwidth line ${l + 1}`,
    }));
    const created = await must(
      'POST',
      '/api/bills/invoices/',
      {
        customer_id: customers[i % customers.length],
        status: 'unpaid',
        currency: 'BDT',
        issue_date: '2026-03-01',
        due_date: '2026-03-15',
        details,
      },
      token,
    );
    invoices.push(created.data.id);
  }
  return { token, invoices };
}

/** One PDF through the gateway, read to its last byte. */
async function pdf(token, id) {
  const begin = nowMs();
  const res = await fetch(`${GATEWAY}/api/bills/invoices/${id}/pdf`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const ms = nowMs() - begin;
  if (res.status !== 200 || res.headers.get('content-type') !== 'application/pdf')
    throw new Error(`pdf ${id}: ${res.status} ${bytes.toString('utf8', 0, 200)}`);
  return { ms, bytes };
}

async function main() {
  const run = benchRun('bp');
  const { id } = run;
  const platform = await startBenchPlatform(run, {
    basePort: BASE_PORT,
    gatewayPort: GATEWAY_PORT,
    log,
  });
  try {
    log(`setting up ${INVOICES} invoices of ${LINES} lines`);
    const { token, invoices } = await setUp(id);
    const [warm, ...measured] = invoices;
    const first = await pdf(token, warm);
    // the same invoices' JSON GET, for what the path costs without rendering (the baseline)
    const jsonTimes = [];
    for (const invoice of measured) {
      const begin = nowMs();
      await must('GET', `/api/bills/invoices/${invoice}/`, undefined, token);
      jsonTimes.push(nowMs() - begin);
    }
    const cpuBefore = cpuOf(platform);
    const times = [];
    let bytes = 0;
    const start = nowMs();
    for (const invoice of measured) {
      const one = await pdf(token, invoice);
      times.push(one.ms);
      bytes += one.bytes.length;
    }
    const seconds = (nowMs() - start) / 1000;
    const cpu = cpuPerOp(cpuBefore, cpuOf(platform), measured.length);
    const again = await pdf(token, warm);
    const sorted = [...times].sort((a, b) => a - b);
    const summary = {
      invoices: measured.length,
      lines_per_invoice: LINES,
      render_100_s: Number(((seconds * 100) / measured.length).toFixed(2)),
      seconds: Number(seconds.toFixed(2)),
      p50_ms: Number(percentile(sorted, 50).toFixed(1)),
      p99_ms: Number(percentile(sorted, 99).toFixed(1)),
      max_ms: Number(sorted[sorted.length - 1].toFixed(1)),
      first_render_ms: Number(first.ms.toFixed(1)),
      json_get_p50_ms: Number(
        percentile(
          jsonTimes.sort((a, b) => a - b),
          50,
        ).toFixed(1),
      ),
      mean_kib: Number((bytes / measured.length / 1024).toFixed(1)),
      identical_bytes: again.bytes.equals(first.bytes),
      cpu_ms_per_pdf: cpu.total,
    };
    const file = writeResults('invoice-pdf', summary, { cpu_ms_per_pdf: cpu.perProcess });
    console.log(`\nInvoice PDF (${measured.length} invoices of ${LINES} lines, one at a time)\n`);
    console.table(summary);
    console.log('CPU ms per PDF', cpu.perProcess);
    log(`results in ${path.relative(ROOT, file)}`);
  } finally {
    await stopAndDrop(platform, run, log);
  }
}

runMain(module, main);
