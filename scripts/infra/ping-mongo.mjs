#!/usr/bin/env node
// Real MongoDB-protocol readiness check using only Node built-ins: sends OP_MSG
// {ping: 1, $db: "admin"} and exits 0 iff the reply has ok: 1.
// Usage: node ping-mongo.mjs [port=27027] [host=127.0.0.1]
import net from 'node:net';

const port = Number(process.argv[2] ?? process.env.MONGO_PORT ?? 27027);
const host = process.argv[3] ?? '127.0.0.1';
const OP_MSG = 2013;

const int32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
};
const cstr = (s) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
const doc = (...elements) => {
  const body = Buffer.concat([...elements, Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
};
const int32El = (name, v) => Buffer.concat([Buffer.from([0x10]), cstr(name), int32(v)]);
const strEl = (name, v) =>
  Buffer.concat([Buffer.from([0x02]), cstr(name), int32(Buffer.byteLength(v) + 1), cstr(v)]);

// Reads the top-level "ok" field of a BSON document (null if absent or of an unexpected type).
function readOk(buf, start) {
  const end = start + buf.readInt32LE(start) - 1;
  let i = start + 4;
  while (i < end) {
    const type = buf[i];
    const nameEnd = buf.indexOf(0, i + 1);
    const name = buf.toString('utf8', i + 1, nameEnd);
    i = nameEnd + 1;
    if (name === 'ok') {
      if (type === 0x01) return buf.readDoubleLE(i);
      if (type === 0x10) return buf.readInt32LE(i);
      if (type === 0x12) return Number(buf.readBigInt64LE(i));
      if (type === 0x08) return buf[i];
      return null;
    }
    const fixed = {
      0x01: 8,
      0x07: 12,
      0x08: 1,
      0x09: 8,
      0x0a: 0,
      0x10: 4,
      0x11: 8,
      0x12: 8,
      0x13: 16,
    }[type];
    if (fixed !== undefined) i += fixed;
    else if (type === 0x02) i += 4 + buf.readInt32LE(i);
    else if (type === 0x03 || type === 0x04) i += buf.readInt32LE(i);
    else if (type === 0x05) i += 5 + buf.readInt32LE(i);
    else return null;
  }
  return null;
}

const body = doc(int32El('ping', 1), strEl('$db', 'admin'));
const header = Buffer.alloc(21); // 16-byte message header + flagBits + section kind 0
header.writeInt32LE(header.length + body.length, 0);
header.writeInt32LE(1, 4); // requestID
header.writeInt32LE(OP_MSG, 12);

const fail = (msg) => {
  console.error(`mongo ping ${host}:${port}: ${msg}`);
  process.exit(1);
};
const sock = net.connect({ host, port }, () => sock.write(Buffer.concat([header, body])));
sock.setTimeout(3000, () => fail('timeout'));
sock.on('error', (e) => fail(e.message));
let got = Buffer.alloc(0);
sock.on('data', (chunk) => {
  got = Buffer.concat([got, chunk]);
  if (got.length < 4 || got.length < got.readInt32LE(0)) return;
  sock.destroy();
  if (got.readInt32LE(12) !== OP_MSG || got[20] !== 0) fail('unexpected reply');
  const ok = readOk(got, 21);
  if (ok !== 1) fail(`ok=${ok}`);
  console.log('ok');
  process.exit(0);
});
