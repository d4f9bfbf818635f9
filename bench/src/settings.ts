/**
 * What more than one phase of the bench shares: the repository root, the hold window of every stack it
 * starts, the connections of the goal figures, the users' password. Each phase's own sizes and durations
 * are in its file in phases/ (bench/README.md says what each phase does with them).
 */
import { resolve } from 'node:path';

/** The repository root (this file runs from bench/dist). */
export const ROOT = resolve(__dirname, '..', '..');

/** The hold window of every stack the bench starts (ORDER_EXPIRATION_SECONDS). */
export const WINDOW_SECONDS = 30;

/** autocannon's connections for the read and write paths, whose goals are stated at 50. */
export const CONNECTIONS = 50;

/** Every user the bench signs up has this password (the sign-in phase signs in with it). */
export const PASSWORD = 'correct horse battery';
