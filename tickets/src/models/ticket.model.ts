/**
 * The listing: title, price, seller, status and the order holding it. Versioned, it carries its
 * ticket.* events until they are published; toTicketJson is its API shape, toTicketEvent its event
 * payload.
 */
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  TicketStatus,
  VERSIONED,
  pendingEventsPlugin,
  type EventData,
  type TicketJson as ApiTicketJson,
  type Subjects,
} from '@ticketing/common';

export interface TicketAttrs {
  title: string;
  /** Dollars, at most 2 decimals (validated by the routes). */
  price: number;
  /** The seller. */
  userId: string;
}

export interface TicketFields extends TicketAttrs {
  status: TicketStatus;
  /** The order holding the ticket while it is reserved, and the one that bought it once sold. */
  orderId?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type TicketDoc = HydratedDocument<TicketFields>;

/** What the API shows of a ticket (common's TicketJson) before JSON turns its date into a string. */
export type TicketJson = Omit<ApiTicketJson, 'createdAt'> & { createdAt: Date };

/** The stored fields `toTicketJson` reads: lean reads project exactly these. */
export const TICKET_JSON_PROJECTION = {
  title: 1,
  price: 1,
  userId: 1,
  version: 1,
  status: 1,
  orderId: 1,
  createdAt: 1,
} as const;

type StoredTicket = Pick<TicketFields, keyof typeof TICKET_JSON_PROJECTION> & {
  _id: unknown;
};

/** One serializer for hydrated documents (`toJSON`) and lean reads alike, so both answer the same shape. */
export function toTicketJson(ticket: StoredTicket): TicketJson {
  const json: TicketJson = {
    id: String(ticket._id),
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId,
    version: ticket.version,
    status: ticket.status,
    createdAt: ticket.createdAt,
  };
  if (ticket.orderId) json.orderId = ticket.orderId;
  return json;
}

/** The payload of `ticket.created` / `ticket.updated`: the listing as it is after the change. */
export function toTicketEvent(
  ticket: TicketDoc,
  version: number,
): EventData<typeof Subjects.TicketUpdated> {
  const { createdAt: _shownOnly, ...listing } = toTicketJson(ticket);
  return { ...listing, version };
}

const ticketSchema = new mongoose.Schema<TicketFields>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true, min: 0 },
    userId: { type: String, required: true },
    status: {
      type: String,
      enum: Object.values(TicketStatus),
      required: true,
      default: TicketStatus.Available,
    },
    orderId: { type: String, required: false },
  },
  {
    // Every save is conditioned on the version read and bumps it: concurrent writers cannot both win.
    ...VERSIONED,
    timestamps: true,
    toJSON: {
      transform(_doc, ret: Record<string, unknown>) {
        return toTicketJson(ret as unknown as StoredTicket);
      },
    },
  },
);
// The listing carries its own events until they are published (ADR 005).
ticketSchema.plugin(pendingEventsPlugin);
// GET /api/tickets: available listings, newest first (the _id breaks ties between equal timestamps).
ticketSchema.index({ status: 1, createdAt: -1, _id: -1 });
ticketSchema.index({ userId: 1, createdAt: -1, _id: -1 });

export const Ticket = mongoose.model<TicketFields>('Ticket', ticketSchema);
