/**
 * The plain Express baseline: one JSON route answering the same object the tickets service listed,
 * serialized on every request as the service does, in its own process like each service.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

const payloadFile = process.env.BENCH_PAYLOAD_FILE;
if (!payloadFile) throw new Error('BENCH_PAYLOAD_FILE is required');
const payload: unknown = JSON.parse(readFileSync(payloadFile, 'utf8'));

const app = express();
app.get('/api/tickets', (_req, res) => {
  res.status(200).json(payload);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
