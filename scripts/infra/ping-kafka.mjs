#!/usr/bin/env node
// Real Kafka-protocol readiness check using only Node built-ins: sends a Metadata v4 request
// (no topics) and exits 0 iff the broker lists at least one live broker, which in KRaft mode
// means it has caught up with the metadata log and is unfenced.
// Usage: node ping-kafka.mjs [port=29092] [host=127.0.0.1]
import net from 'node:net';

const port = Number(process.argv[2] ?? process.env.KAFKA_PORT ?? 29092);
const host = process.argv[3] ?? '127.0.0.1';

const clientId = Buffer.from('infra-ping');
const req = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length + 4 + 1);
let o = 4;
o = req.writeInt16BE(3, o); // api_key: Metadata
o = req.writeInt16BE(4, o); // api_version
o = req.writeInt32BE(7, o); // correlation_id
o = req.writeInt16BE(clientId.length, o);
o += clientId.copy(req, o);
o = req.writeInt32BE(0, o); // topics: empty array = none
req.writeInt8(0, o); // allow_auto_topic_creation
req.writeInt32BE(req.length - 4, 0);

const fail = (msg) => {
  console.error(`kafka ping ${host}:${port}: ${msg}`);
  process.exit(1);
};
const sock = net.connect({ host, port }, () => sock.write(req));
sock.setTimeout(3000, () => fail('timeout'));
sock.on('error', (e) => fail(e.message));
sock.on('close', () => fail('connection closed'));
let got = Buffer.alloc(0);
sock.on('data', (chunk) => {
  got = Buffer.concat([got, chunk]);
  if (got.length < 4 || got.length < 4 + got.readInt32BE(0)) return;
  if (got.readInt32BE(4) !== 7) fail('bad correlation id');
  const brokers = got.readInt32BE(12); // after size, correlation_id, throttle_time_ms
  if (brokers < 1) fail('no live broker yet');
  console.log(`ok brokers=${brokers}`);
  process.exit(0);
});
