import { checkEventDraft, checkPrice, checkSeat, checkTitle, trimSeat } from './listing-input';

const NOW = Date.parse('2026-12-01T12:00:00Z');

const draft = {
  name: '  Jazz Night ',
  venue: 'Blue Note',
  city: 'New York',
  startsAt: '2027-06-06T20:00',
  timeZone: 'America/New_York',
  category: 'concert',
};

describe('checking a new event before it is sent', () => {
  it("sends the start typed on the venue's clock as the instant, the text trimmed", () => {
    expect(checkEventDraft(draft, NOW)).toEqual({
      ok: true,
      input: {
        name: 'Jazz Night',
        venue: 'Blue Note',
        city: 'New York',
        startsAt: '2027-06-07T00:00:00.000Z',
        timeZone: 'America/New_York',
        category: 'concert',
      },
    });
  });

  it('names each missing or wrong field in the words of the service', () => {
    const result = checkEventDraft(
      {
        name: ' ',
        venue: 'x'.repeat(121),
        city: '',
        startsAt: '',
        timeZone: 'Moon/Base',
        category: 'opera',
      },
      NOW,
    );

    expect(result).toEqual({
      ok: false,
      fields: {
        name: ['Name is required'],
        venue: ['Venue must be 1 to 120 characters'],
        city: ['City is required'],
        timeZone: ['Time zone must be an IANA time zone, such as America/New_York'],
        category: ['Choose a category'],
        startsAt: ['Enter the date and time the event starts'],
      },
    });
  });

  it('takes a start only in the future and at most two years ahead', () => {
    expect(checkEventDraft({ ...draft, startsAt: '2026-12-01T06:59' }, NOW)).toEqual({
      ok: false,
      fields: { startsAt: ['Start must be in the future'] },
    });
    expect(checkEventDraft({ ...draft, startsAt: '2028-12-01T08:00' }, NOW)).toEqual({
      ok: false,
      fields: { startsAt: ['Start must be at most 2 years ahead'] },
    });
    expect(checkEventDraft({ ...draft, startsAt: '2027-02-30T20:00' }, NOW)).toEqual({
      ok: false,
      fields: { startsAt: ['Enter a valid date and time'] },
    });
  });
});

describe('checking a listing before it is sent', () => {
  it('takes a price from 0.50 to 1,000,000 with at most 2 decimals', () => {
    expect(checkPrice('')).toEqual(['Price is required']);
    expect(checkPrice('19.999')).toEqual([
      'Price must be a number from 0.50 to 1,000,000 with at most 2 decimals',
    ]);
    expect(checkPrice('0.49')).toHaveLength(1);
    expect(checkPrice(' 1000000 ')).toEqual([]);
  });

  it('needs a title only when editing', () => {
    expect(checkTitle(' ', { required: false })).toEqual([]);
    expect(checkTitle(' ', { required: true })).toEqual(['Title is required']);
    expect(checkTitle('x'.repeat(201), { required: false })).toEqual([
      'Title must be 1 to 200 characters',
    ]);
  });

  it('takes seat parts of at most 20 characters, empty ones left out', () => {
    expect(checkSeat({ section: 'x'.repeat(21), row: 'B' })).toEqual({
      section: ['Section must be at most 20 characters'],
    });
    expect(trimSeat({ section: ' 101 ', row: '', seat: ' ' })).toEqual({ section: '101' });
  });
});
