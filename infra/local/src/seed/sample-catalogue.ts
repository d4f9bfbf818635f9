/**
 * The sample marketplace `npm run seed` lists: a few sellers, upcoming events of every category in
 * several cities (each at a local evening or afternoon in its own time zone), and their seats.
 */
import { EventCategory } from '@ticketing/common';

export interface SampleSeller {
  email: string;
  password: string;
}

export interface SampleListing {
  price: number;
  section?: string;
  row?: string;
  seats: string[];
}

export interface SampleEvent {
  name: string;
  venue: string;
  city: string;
  timeZone: string;
  category: EventCategory;
  /** Days from today, and the local time of day (`HH:mm`) in `timeZone`. */
  inDays: number;
  at: string;
  /** Which seller (index into SELLERS) lists which seats. */
  listings: Array<SampleListing & { seller: number }>;
}

/** Demo accounts: anyone may sign in with them (the password is printed by the seed, not a secret). */
export const SELLERS: SampleSeller[] = [
  { email: 'maya.seller@example.com', password: 'sample-seller-1' },
  { email: 'jonas.seller@example.com', password: 'sample-seller-2' },
  { email: 'priya.seller@example.com', password: 'sample-seller-3' },
];

export const EVENTS: SampleEvent[] = [
  {
    name: 'The Lumineers — Automatic World Tour',
    venue: 'Madison Square Garden',
    city: 'New York',
    timeZone: 'America/New_York',
    category: EventCategory.Concert,
    inDays: 9,
    at: '20:00',
    listings: [
      { seller: 0, price: 145, section: '105', row: 'F', seats: ['7', '8'] },
      { seller: 1, price: 89.5, section: '224', row: 'K', seats: ['14'] },
      { seller: 2, price: 260, section: 'Floor A', row: '3', seats: ['21', '22'] },
    ],
  },
  {
    name: 'Chicago Cubs vs. St. Louis Cardinals',
    venue: 'Wrigley Field',
    city: 'Chicago',
    timeZone: 'America/Chicago',
    category: EventCategory.Sports,
    inDays: 4,
    at: '13:20',
    listings: [
      { seller: 1, price: 42, section: '229', row: '5', seats: ['1', '2', '3', '4'] },
      { seller: 0, price: 118, section: 'Club Box 18', row: '2', seats: ['9'] },
    ],
  },
  {
    name: 'Hamilton',
    venue: 'Richard Rodgers Theatre',
    city: 'New York',
    timeZone: 'America/New_York',
    category: EventCategory.Theater,
    inDays: 16,
    at: '19:00',
    listings: [
      { seller: 2, price: 199, section: 'Orchestra', row: 'M', seats: ['101', '102'] },
      { seller: 0, price: 129, section: 'Mezzanine', row: 'C', seats: ['8'] },
    ],
  },
  {
    name: 'Ali Wong: Live',
    venue: 'The Wiltern',
    city: 'Los Angeles',
    timeZone: 'America/Los_Angeles',
    category: EventCategory.Comedy,
    inDays: 12,
    at: '21:30',
    listings: [
      { seller: 1, price: 75, section: 'Orchestra', row: 'H', seats: ['5', '6'] },
      { seller: 2, price: 55, section: 'Balcony', row: 'B', seats: ['11'] },
    ],
  },
  {
    name: 'Austin City Limits Music Festival — Saturday',
    venue: 'Zilker Park',
    city: 'Austin',
    timeZone: 'America/Chicago',
    category: EventCategory.Festival,
    inDays: 30,
    at: '11:00',
    listings: [
      { seller: 0, price: 165, section: 'General Admission', seats: [] },
      { seller: 2, price: 410, section: 'VIP', seats: [] },
    ],
  },
  {
    name: 'Golden State Warriors vs. Los Angeles Lakers',
    venue: 'Chase Center',
    city: 'San Francisco',
    timeZone: 'America/Los_Angeles',
    category: EventCategory.Sports,
    inDays: 21,
    at: '19:30',
    listings: [
      { seller: 2, price: 310, section: '118', row: '12', seats: ['3', '4'] },
      { seller: 1, price: 96, section: '220', row: '20', seats: ['15'] },
    ],
  },
  {
    name: 'Billie Eilish — Hit Me Hard and Soft',
    venue: 'United Center',
    city: 'Chicago',
    timeZone: 'America/Chicago',
    category: EventCategory.Concert,
    inDays: 45,
    at: '19:30',
    listings: [
      { seller: 1, price: 175, section: '112', row: '18', seats: ['5', '6'] },
      { seller: 0, price: 240, section: 'Floor', seats: [] },
    ],
  },
  {
    name: 'Les Misérables',
    venue: 'Kennedy Center Opera House',
    city: 'Washington',
    timeZone: 'America/New_York',
    category: EventCategory.Theater,
    inDays: 26,
    at: '14:00',
    listings: [{ seller: 2, price: 88, section: 'Box Tier', row: 'A', seats: ['2', '3'] }],
  },
  {
    name: 'Dave Chappelle',
    venue: 'Ryman Auditorium',
    city: 'Nashville',
    timeZone: 'America/Chicago',
    category: EventCategory.Comedy,
    inDays: 38,
    at: '20:00',
    listings: [{ seller: 0, price: 135, section: 'Main Floor', row: 'P', seats: ['12'] }],
  },
  {
    name: 'Seattle Sounders vs. Portland Timbers',
    venue: 'Lumen Field',
    city: 'Seattle',
    timeZone: 'America/Los_Angeles',
    category: EventCategory.Sports,
    inDays: 7,
    at: '19:00',
    listings: [
      { seller: 1, price: 38, section: '121', row: 'W', seats: ['17', '18', '19'] },
      { seller: 2, price: 64, section: '150', row: 'G', seats: ['2'] },
    ],
  },
  {
    name: 'Tech Conference Afterparty',
    venue: 'The Fillmore',
    city: 'San Francisco',
    timeZone: 'America/Los_Angeles',
    category: EventCategory.Other,
    inDays: 18,
    at: '22:00',
    listings: [],
  },
];
