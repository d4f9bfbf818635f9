/**
 * orders' replica of the listings, kept from ticket.* events: the price an order is placed at, and
 * the proof that a hold is confirmed.
 */
import mongoose from 'mongoose';
import { EventCategory, TicketStatus, type SeatInfo } from '@ticketing/common';

/** The event the listing is for, as tickets' catalogue has it; `startsAt` closes the listing. */
export interface ReplicaEvent {
  id: string;
  name: string;
  venue: string;
  city: string;
  category: EventCategory;
  startsAt: Date;
  timeZone: string;
}

/**
 * The orders service's replica of a listing, kept by the ticket.* listeners strictly in version order.
 * Its version is the tickets service's, copied from events — never incremented here.
 */
export interface TicketReplica extends SeatInfo {
  _id: mongoose.Types.ObjectId;
  title: string;
  price: number;
  userId: string;
  status: TicketStatus;
  /** The order tickets has locked the listing for: proof that an order's hold is confirmed. */
  orderId?: string;
  event: ReplicaEvent;
  version: number;
}

export const replicaEventSchema = new mongoose.Schema<ReplicaEvent>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    venue: { type: String, required: true },
    city: { type: String, required: true },
    category: { type: String, enum: Object.values(EventCategory), required: true },
    startsAt: { type: Date, required: true },
    timeZone: { type: String, required: true },
  },
  { _id: false },
);

const ticketSchema = new mongoose.Schema<TicketReplica>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: Object.values(TicketStatus), required: true },
    orderId: { type: String },
    event: { type: replicaEventSchema, required: true },
    section: { type: String },
    row: { type: String },
    seat: { type: String },
    version: { type: Number, required: true },
  },
  { versionKey: false },
);

export const Ticket = mongoose.model<TicketReplica>('Ticket', ticketSchema);
