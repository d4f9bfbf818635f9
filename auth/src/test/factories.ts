/**
 * Test data for auth's tests: users signed up through the real API, with their session cookie.
 */
import request from 'supertest';

/** Signs a user up through the running service; returns them with the session cookie auth set. */
export async function signup(url: string, email = 'ann@example.com', password = 'correct horse') {
  const res = await request(url).post('/api/users/signup').send({ email, password }).expect(201);
  const cookie = res.get('Set-Cookie');
  if (!cookie?.[0]) throw new Error('signup set no cookie');
  return { id: res.body.id as string, email, password, cookie: cookie[0].split(';')[0]! };
}
