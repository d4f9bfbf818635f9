/**
 * A local HTTP stand-in for Stripe's API, for the Stripe gateway's tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from '@jest/globals';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The form-encoded body, decoded. */
  form: Record<string, string>;
}

type Reply = { status: number; body: unknown } | 'drop-connection';

export interface StripeStub {
  url: string;
  requests: StubRequest[];
  /** The next request gets this reply instead of the stub's usual answer. */
  replyNext(reply: Reply): void;
}

/**
 * A local stand-in for Stripe's API, enough for `charges.create`, `refunds.create` and `transfers.create`: `tok_visa` is
 * charged, `tok_chargeDeclined` gets Stripe's 402 card_declined, any other token Stripe's 400 "No such
 * token"; a repeated Idempotency-Key gets the first answer again, as from Stripe. Every request is kept.
 */
export function useStripeStub(): StripeStub {
  const stub = { requests: [] as StubRequest[] } as StripeStub;
  let server: Server;
  let replies: Reply[] = [];
  let answered = new Map<string, { status: number; body: unknown }>();
  let seq = 0;

  const answer = (req: StubRequest): { status: number; body: unknown } => {
    const key = req.headers['idempotency-key'];
    const stored = typeof key === 'string' ? answered.get(`${req.path}:${key}`) : undefined;
    if (stored) return stored;
    let reply: { status: number; body: unknown };
    if (req.path === '/v1/charges') {
      const source = req.form['source'];
      if (source === 'tok_visa') {
        reply = {
          status: 200,
          body: {
            id: `ch_stub_${++seq}`,
            object: 'charge',
            amount: Number(req.form['amount']),
            currency: req.form['currency'],
            status: 'succeeded',
          },
        };
      } else if (source === 'tok_chargeDeclined') {
        reply = {
          status: 402,
          body: {
            error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: 'generic_decline',
              message: 'Your card was declined.',
            },
          },
        };
      } else {
        reply = {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'resource_missing',
              param: 'source',
              message: `No such token: '${source}'`,
            },
          },
        };
      }
    } else if (req.path === '/v1/transfers') {
      reply = {
        status: 200,
        body: {
          id: `tr_stub_${++seq}`,
          object: 'transfer',
          amount: Number(req.form['amount']),
          currency: req.form['currency'],
          destination: req.form['destination'],
        },
      };
    } else if (req.path === '/v1/refunds') {
      reply = {
        status: 200,
        body: { id: `re_stub_${++seq}`, object: 'refund', charge: req.form['charge'] },
      };
    } else {
      reply = { status: 404, body: { error: { type: 'invalid_request_error', message: 'no' } } };
    }
    if (typeof key === 'string') answered.set(`${req.path}:${key}`, reply);
    return reply;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const recorded: StubRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(raw)),
      };
      stub.requests.push(recorded);
      const reply = replies.shift() ?? answer(recorded);
      if (reply === 'drop-connection') {
        req.socket.destroy();
        return;
      }
      const body = JSON.stringify(reply.body);
      res
        .writeHead(reply.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'request-id': `req_stub_${stub.requests.length}`,
        })
        .end(body);
    });
  };

  stub.replyNext = (reply) => replies.push(reply);
  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    stub.requests.length = 0;
    replies = [];
    answered = new Map();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return stub;
}
