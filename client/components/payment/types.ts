import type { FormErrors } from '@/lib/api/errors';

export interface PaymentFormProps {
  /** "$20.00": shown on the pay button. */
  amount: string;
  disabled?: boolean;
  /** Sends the card token for the order; resolves to the errors to show, or null once paid. */
  pay(token: string): Promise<FormErrors | null>;
}
