import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { KeyedSerializer, isConcurrencyConflict } from './ticket-changes';

describe('KeyedSerializer', () => {
  it('runs tasks of one key one after another, in call order', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await sleep(ms);
      log.push(`${name} end`);
      return name;
    };

    const results = await Promise.all([
      serializer.run('t1', task('a', 20)),
      serializer.run('t1', task('b', 1)),
    ]);

    expect(results).toEqual(['a', 'b']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('runs tasks of different keys concurrently', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await sleep(ms);
      log.push(`${name} end`);
    };

    await Promise.all([serializer.run('t1', task('a', 20)), serializer.run('t2', task('b', 1))]);

    expect(log).toEqual(['a start', 'b start', 'b end', 'a end']);
  });

  it('keeps going after a task fails, and hands the failure to its caller only', async () => {
    const serializer = new KeyedSerializer();

    const failed = serializer.run('t1', async () => {
      throw new Error('boom');
    });
    const next = serializer.run('t1', async () => 'after');

    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });
});

describe('isConcurrencyConflict', () => {
  it('recognises a lost version check and a MongoDB write conflict', () => {
    const doc = new (mongoose.model('ConflictProbe', new mongoose.Schema({ a: Number })))();
    expect(isConcurrencyConflict(new mongoose.Error.VersionError(doc, 1, ['a']))).toBe(true);
    expect(isConcurrencyConflict(Object.assign(new Error('WriteConflict'), { code: 112 }))).toBe(
      true,
    );
    expect(
      isConcurrencyConflict(
        Object.assign(new Error('transient'), {
          hasErrorLabel: (label: string) => label === 'TransientTransactionError',
        }),
      ),
    ).toBe(true);
  });

  it('leaves every other failure alone', () => {
    expect(isConcurrencyConflict(new Error('boom'))).toBe(false);
    expect(isConcurrencyConflict(Object.assign(new Error('dup'), { code: 11000 }))).toBe(false);
    expect(isConcurrencyConflict(undefined)).toBe(false);
  });
});
