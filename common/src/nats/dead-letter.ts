/**
 * The dead letters: where a listener copies a message it gives up on, with the reason and the
 * delivery count, and how tests and operators list them.
 */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM, isNotFound } from './streams';

export interface DeadLetter {
  /** Sequence in the dead-letter stream. */
  seq: number;
  service: string;
  subject: string;
  /** Sequence of the original message in the events stream. */
  originalSeq: number;
  eventId: string | null;
  deliveries: number;
  error: string;
  receivedAt: Date;
  data: unknown;
}

const H = {
  service: 'Ticketing-Service',
  subject: 'Ticketing-Subject',
  seq: 'Ticketing-Original-Seq',
  eventId: 'Ticketing-Event-Id',
  deliveries: 'Ticketing-Deliveries',
  error: 'Ticketing-Error',
} as const;

/** Copies a message that keeps failing into the dead-letter stream, with why and how often it failed. */
export async function deadLetter(
  js: JetStreamClient,
  service: string,
  msg: JsMsg,
  error: string,
): Promise<void> {
  const h = natsHeaders();
  h.set(H.service, service);
  h.set(H.subject, msg.subject);
  h.set(H.seq, String(msg.seq));
  h.set(H.eventId, msg.headers?.get('Nats-Msg-Id') ?? '');
  h.set(H.deliveries, String(msg.info.deliveryCount));
  h.set(H.error, error.slice(0, 1000));
  await js.publish(`${DEAD_LETTER_PREFIX}.${service}.${msg.subject}`, msg.data, {
    headers: h,
    msgID: `${service}:${msg.info.stream}:${msg.seq}`,
  });
}

/** Everything in the dead-letter place, oldest first; optionally only one service's. */
export async function listDeadLetters(
  jsm: JetStreamManager,
  service?: string,
): Promise<DeadLetter[]> {
  let state;
  try {
    state = (await jsm.streams.info(DEAD_LETTER_STREAM)).state;
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const letters: DeadLetter[] = [];
  if (state.messages === 0) return letters;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const stored = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { seq }).catch(() => null);
    if (!stored) continue;
    const get = (name: string) => stored.header.get(name);
    const letter: DeadLetter = {
      seq,
      service: get(H.service),
      subject: get(H.subject),
      originalSeq: Number(get(H.seq)),
      eventId: get(H.eventId) || null,
      deliveries: Number(get(H.deliveries)),
      error: get(H.error),
      receivedAt: stored.time,
      data: safeJson(stored.string()),
    };
    if (!service || letter.service === service) letters.push(letter);
  }
  return letters;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
