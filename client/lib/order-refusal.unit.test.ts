import { ApiError } from './api/errors';
import { describeOrderRefusal } from './order-refusal';

const refused = (message: string, field?: string, status = 400) =>
  describeOrderRefusal(new ApiError(status, [{ message, field }]));

describe('reading why an order was refused', () => {
  it('recognises the hold cap, whatever cap is configured', () => {
    expect(refused('You already hold 4 tickets: pay for or cancel one first', 'ticketId')).toEqual({
      kind: 'hold-cap',
      message: 'You already hold 4 tickets: pay for or cancel one first',
    });
    expect(refused('You already hold 1 ticket: pay for or cancel one first', 'ticketId').kind).toBe(
      'hold-cap',
    );
  });

  it("recognises the wait after the buyer's own hold on the ticket ended, keeping the seconds left", () => {
    const message = 'Your hold on this ticket ended recently: you can hold it again in 37 seconds';

    expect(refused(message, 'ticketId')).toEqual({ kind: 'rehold-cooldown', message });
  });

  it('keeps any other refusal, or these words on another field or status, as it was said', () => {
    expect(refused('Ticket is already reserved', 'ticketId')).toEqual({
      kind: 'other',
      message: 'Ticket is already reserved',
    });
    expect(refused('You already hold 4 tickets: pay for or cancel one first').kind).toBe('other');
    expect(
      refused('You already hold 4 tickets: pay for or cancel one first', 'ticketId', 409).kind,
    ).toBe('other');
    expect(describeOrderRefusal(new TypeError('boom')).kind).toBe('other');
  });
});
