import { isTimeZone, zonedTimeToUtc } from './zoned-time';

describe('a wall-clock time in an IANA zone as an instant', () => {
  it("reads the zone's offset on that date, daylight saving time or not", () => {
    expect(zonedTimeToUtc('2027-06-06T20:00', 'America/New_York')).toBe('2027-06-07T00:00:00.000Z');
    expect(zonedTimeToUtc('2027-01-15T20:00', 'America/New_York')).toBe('2027-01-16T01:00:00.000Z');
    expect(zonedTimeToUtc('2027-01-10T20:00', 'Australia/Sydney')).toBe('2027-01-10T09:00:00.000Z');
    expect(zonedTimeToUtc('2027-07-10T20:00', 'Australia/Sydney')).toBe('2027-07-10T10:00:00.000Z');
    expect(zonedTimeToUtc('2027-03-01T09:00', 'Asia/Kolkata')).toBe('2027-03-01T03:30:00.000Z');
    expect(zonedTimeToUtc('2027-06-01T12:00', 'UTC')).toBe('2027-06-01T12:00:00.000Z');
  });

  it('takes a time skipped when the clocks go forward as the same time after the change', () => {
    // New York, 14 March 2027: 02:00 EST becomes 03:00 EDT.
    expect(zonedTimeToUtc('2027-03-14T01:59', 'America/New_York')).toBe('2027-03-14T06:59:00.000Z');
    expect(zonedTimeToUtc('2027-03-14T02:30', 'America/New_York')).toBe('2027-03-14T07:30:00.000Z');
    expect(zonedTimeToUtc('2027-03-14T03:00', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z');
    // London, 28 March 2027: 01:00 GMT becomes 02:00 BST.
    expect(zonedTimeToUtc('2027-03-28T01:30', 'Europe/London')).toBe('2027-03-28T01:30:00.000Z');
  });

  it('takes a time that happens twice when the clocks go back as the first of them', () => {
    // New York, 7 November 2027: 02:00 EDT becomes 01:00 EST.
    expect(zonedTimeToUtc('2027-11-07T00:59', 'America/New_York')).toBe('2027-11-07T04:59:00.000Z');
    expect(zonedTimeToUtc('2027-11-07T01:30', 'America/New_York')).toBe('2027-11-07T05:30:00.000Z');
    expect(zonedTimeToUtc('2027-11-07T02:00', 'America/New_York')).toBe('2027-11-07T07:00:00.000Z');
    // Sydney, 4 April 2027: 03:00 AEDT becomes 02:00 AEST.
    expect(zonedTimeToUtc('2027-04-04T02:30', 'Australia/Sydney')).toBe('2027-04-03T15:30:00.000Z');
  });

  it('answers null for a date, time or zone that is not one', () => {
    expect(zonedTimeToUtc('2027-02-29T10:00', 'UTC')).toBeNull();
    expect(zonedTimeToUtc('2027-06-06T24:00', 'UTC')).toBeNull();
    expect(zonedTimeToUtc('2027-06-06 20:00', 'UTC')).toBeNull();
    expect(zonedTimeToUtc('', 'UTC')).toBeNull();
    expect(zonedTimeToUtc('2027-06-06T20:00', 'Nowhere/Special')).toBeNull();
    expect(zonedTimeToUtc('2027-06-06T20:00', '')).toBeNull();
  });

  it('knows the IANA zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(isTimeZone(' ')).toBe(false);
  });
});
