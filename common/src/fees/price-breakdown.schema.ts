/**
 * A stored price breakdown (an order's amount), as a mongoose subdocument: the orders service's orders and
 * payments' order replica keep it in the same shape.
 */
import mongoose from 'mongoose';
import type { PriceBreakdown } from './fees';

export const priceBreakdownSchema = new mongoose.Schema<PriceBreakdown>(
  {
    price: { type: Number, required: true },
    fee: { type: Number, required: true },
    total: { type: Number, required: true },
  },
  { _id: false },
);
