/**
 * The plain Express baseline: one JSON route per endpoint measured beside it, each answering the same
 * object the tickets service answered there, serialized on every request as the service does, in its own
 * process like each service. `BENCH_PAYLOAD_FILE` holds `{ [route]: payload }` (Express route paths,
 * such as `/api/events/:id`).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

const payloadFile = process.env.BENCH_PAYLOAD_FILE;
if (!payloadFile) throw new Error('BENCH_PAYLOAD_FILE is required');
const payloads = JSON.parse(readFileSync(payloadFile, 'utf8')) as Record<string, unknown>;

const app = express();
for (const [route, payload] of Object.entries(payloads)) {
  app.get(route, (_req, res) => {
    res.status(200).json(payload);
  });
}
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
