import type { FormErrors } from '@/lib/api/errors';
import type { PriceBreakdown } from '@/lib/api/types';

export interface PaymentFormProps {
  /** The order's amount: its breakdown is shown above the pay button, which states the total. */
  amount: PriceBreakdown;
  disabled?: boolean;
  /** Sends the card token for the order; resolves to the errors to show, or null once paid. */
  pay(token: string): Promise<FormErrors | null>;
}
