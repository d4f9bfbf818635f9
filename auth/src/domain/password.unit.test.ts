/**
 * Password hashing: a hash verifies only its own password, every hash has its own salt, and a
 * stored value that is not an scrypt hash never verifies.
 */
import { describe, expect, it } from '@jest/globals';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the password it hashed and rejects any other', async () => {
    const stored = await hashPassword('correct horse');

    await expect(verifyPassword('correct horse', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horsE', stored)).resolves.toBe(false);
  });

  it('salts every hash with 16 random bytes', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);

    expect(a).not.toBe(b);
    expect(Buffer.from(a.split('$')[4]!, 'base64')).toHaveLength(16);
  });

  it('rejects a stored value that is not an scrypt hash', async () => {
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
  });
});
