/**
 * orders' replica of the listings, kept from ticket.* events: the price an order is placed at, and
 * the proof that a hold is confirmed.
 */
import mongoose from 'mongoose';
import { TicketStatus } from '@ticketing/common';

/**
 * The orders service's replica of a listing, kept by the ticket.* listeners strictly in version order.
 * Its version is the tickets service's, copied from events — never incremented here.
 */
export interface TicketReplica {
  _id: mongoose.Types.ObjectId;
  title: string;
  price: number;
  userId: string;
  status: TicketStatus;
  /** The order tickets has locked the listing for: proof that an order's hold is confirmed. */
  orderId?: string;
  version: number;
}

const ticketSchema = new mongoose.Schema<TicketReplica>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: Object.values(TicketStatus), required: true },
    orderId: { type: String },
    version: { type: Number, required: true },
  },
  { versionKey: false },
);

export const Ticket = mongoose.model<TicketReplica>('Ticket', ticketSchema);
