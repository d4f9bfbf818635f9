/** A stand-in for next/navigation's router, for components under test. */
export const router = {
  push: jest.fn(),
  replace: jest.fn(),
  refresh: jest.fn(),
  back: jest.fn(),
  forward: jest.fn(),
  prefetch: jest.fn(),
};

export function resetRouter() {
  for (const fn of Object.values(router)) fn.mockReset();
}
