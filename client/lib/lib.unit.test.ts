import {
  describeCountdown,
  describeHoldLeft,
  formatCountdown,
  formatDate,
  formatAllInPrice,
  formatEventDate,
  formatFeesIncluded,
  formatPrice,
  formatSeat,
} from './format';
import { firstParam, pageFromSearchParam, pathWithQuery, safeNextPath } from './navigation';
import { tokenForTestCard, validateCardInput } from './test-cards';

describe('formatting', () => {
  it('shows dollars with cents', () => {
    expect(formatPrice(1234.5)).toBe('$1,234.50');
    expect(formatPrice(0.5)).toBe('$0.50');
  });

  it('shows a total with the fees it includes', () => {
    expect(formatFeesIncluded(5.5)).toBe('incl. $5.50 fees');
    expect(formatAllInPrice({ total: 45.5, fee: 5.5 })).toBe('$45.50 incl. $5.50 fees');
  });

  it('shows the listing day in UTC', () => {
    expect(formatDate('2025-11-25T23:59:00.000Z')).toBe('Nov 25, 2025');
    expect(formatDate('not a date')).toBe('');
  });

  it("shows an event's start on the venue's clock, with the zone's abbreviation", () => {
    expect(formatEventDate('2027-06-07T00:00:00.000Z', 'America/New_York')).toBe(
      'Sun, Jun 6, 2027, 8:00 PM EDT',
    );
    expect(formatEventDate('2027-01-16T01:00:00.000Z', 'America/New_York')).toBe(
      'Fri, Jan 15, 2027, 8:00 PM EST',
    );
    expect(formatEventDate('2027-06-07T00:00:00.000Z', 'America/Los_Angeles')).toBe(
      'Sun, Jun 6, 2027, 5:00 PM PDT',
    );
    expect(formatEventDate('2027-07-01T18:30:00.000Z', 'Europe/Berlin')).toBe(
      'Thu, Jul 1, 2027, 8:30 PM GMT+2',
    );
    expect(formatEventDate('2027-07-01T18:30:00.000Z', 'UTC')).toBe(
      'Thu, Jul 1, 2027, 6:30 PM UTC',
    );
  });

  it('falls back to UTC for a zone it does not know, and to nothing for a bad date', () => {
    expect(formatEventDate('2027-07-01T18:30:00.000Z', 'Mars/Olympus')).toBe(
      'Thu, Jul 1, 2027, 6:30 PM UTC',
    );
    expect(formatEventDate('soon', 'UTC')).toBe('');
  });

  it('names the seat by the parts it has', () => {
    expect(formatSeat({ section: '101', row: 'B', seat: '12' })).toBe(
      'Section 101, Row B, Seat 12',
    );
    expect(formatSeat({ row: 'F' })).toBe('Row F');
    expect(formatSeat({})).toBe('General admission');
  });

  it('counts down in minutes and seconds, never below zero', () => {
    expect(formatCountdown(14 * 60_000 + 5_000)).toBe('14:05');
    expect(formatCountdown(900)).toBe('0:01');
    expect(formatCountdown(-5_000)).toBe('0:00');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(describeCountdown(61_000)).toBe('1 minute 1 second');
  });

  it('says the time left on a hold to the minute', () => {
    expect(describeHoldLeft(14 * 60_000 + 59_000)).toBe('14 min left');
    expect(describeHoldLeft(59_000)).toBe('less than a minute left');
    expect(describeHoldLeft(0)).toBe('hold ended');
  });
});

describe('navigation', () => {
  it('returns only to paths on this site after signing in', () => {
    expect(safeNextPath('/orders/1')).toBe('/orders/1');
    expect(safeNextPath('//evil.example')).toBe('/');
    expect(safeNextPath('https://evil.example')).toBe('/');
    expect(safeNextPath('/\\evil.example')).toBe('/');
    expect(safeNextPath(['/a', '/b'])).toBe('/');
    expect(safeNextPath(undefined)).toBe('/');
  });

  it('reads a page number, defaulting to the first page', () => {
    expect(pageFromSearchParam('3')).toBe(3);
    expect(pageFromSearchParam('0')).toBe(1);
    expect(pageFromSearchParam('abc')).toBe(1);
    expect(pageFromSearchParam(['2', '3'])).toBe(1);
    expect(pageFromSearchParam(undefined)).toBe(1);
  });

  it('reads one value of a search parameter', () => {
    expect(firstParam('jazz')).toBe('jazz');
    expect(firstParam(['a', 'b'])).toBe('a');
    expect(firstParam(undefined)).toBe('');
  });

  it('keeps the non-empty parameters in a link', () => {
    expect(pathWithQuery('/', { q: 'jazz club', city: '', page: 2 })).toBe('/?q=jazz+club&page=2');
    expect(pathWithQuery('/events/1', { q: '' })).toBe('/events/1');
  });
});

describe('test cards', () => {
  it("maps Stripe's test cards to their tokens", () => {
    expect(tokenForTestCard('4242 4242 4242 4242')).toBe('tok_visa');
    expect(tokenForTestCard('4000-0000-0000-0002')).toBe('tok_chargeDeclined');
    expect(tokenForTestCard('5555 5555 5555 4444')).toBeNull();
  });

  it('checks the card, the expiry and the CVC', () => {
    const now = new Date('2026-05-15T00:00:00Z');
    expect(
      validateCardInput({ card: '4242424242424242', expiry: '05/26', cvc: '123' }, now),
    ).toEqual({});
    expect(validateCardInput({ card: '', expiry: '', cvc: '' }, now)).toEqual({
      card: ['Enter a card number'],
      expiry: ['Enter the expiry date'],
      cvc: ['Enter the security code'],
    });
    expect(
      validateCardInput({ card: '4111111111111111', expiry: '04/26', cvc: '12' }, now),
    ).toEqual({
      card: ['Test mode accepts only the test cards listed above'],
      expiry: ['This card has expired'],
      cvc: ['The security code is 3 or 4 digits'],
    });
    expect(validateCardInput({ card: '42', expiry: '13/30', cvc: '1234' }, now)).toEqual({
      card: ['Enter a valid card number'],
      expiry: ['Use the format MM / YY'],
    });
  });
});
