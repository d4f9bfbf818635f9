/**
 * The sandbox payment form stands in for Stripe Elements when no publishable key is configured. It
 * accepts only Stripe's documented test cards and turns each into the test token Stripe itself would
 * give for it, which the payments service's sandbox gateway (or Stripe in test mode) understands.
 */
export const TEST_CARDS = [
  { number: '4242 4242 4242 4242', token: 'tok_visa', outcome: 'payment succeeds' },
  { number: '4000 0000 0000 0002', token: 'tok_chargeDeclined', outcome: 'card is declined' },
] as const;

export function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** The test token for a test card number (spaces and dashes ignored), or null for any other number. */
export function tokenForTestCard(cardNumber: string): string | null {
  const digits = digitsOnly(cardNumber);
  return TEST_CARDS.find((card) => digitsOnly(card.number) === digits)?.token ?? null;
}

export interface CardInput {
  card: string;
  expiry: string;
  cvc: string;
}

/** Messages per field for what the sandbox form can check before asking the server. */
export function validateCardInput(input: CardInput, now = new Date()): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const digits = digitsOnly(input.card);
  if (!digits) errors.card = ['Enter a card number'];
  else if (!/^\d{13,19}$/.test(digits)) errors.card = ['Enter a valid card number'];
  else if (!tokenForTestCard(digits))
    errors.card = ['Test mode accepts only the test cards listed above'];

  const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2})\s*$/.exec(input.expiry);
  const month = expiry ? Number(expiry[1]) : 0;
  if (!input.expiry.trim()) errors.expiry = ['Enter the expiry date'];
  else if (!expiry || month < 1 || month > 12) errors.expiry = ['Use the format MM / YY'];
  else {
    const year = 2000 + Number(expiry[2]);
    const endOfMonth = new Date(Date.UTC(year, month, 1));
    if (endOfMonth.getTime() <= now.getTime()) errors.expiry = ['This card has expired'];
  }

  if (!input.cvc.trim()) errors.cvc = ['Enter the security code'];
  else if (!/^\d{3,4}$/.test(input.cvc.trim())) errors.cvc = ['The security code is 3 or 4 digits'];
  return errors;
}
