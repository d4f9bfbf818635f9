import { expect, signUp, snap, test } from './fixtures';

test('a user signs out: the header forgets them and their pages ask to sign in', async ({
  page,
}) => {
  const email = await signUp(page);
  await snap(page, '10-signed-in-header');

  await page.getByRole('link', { name: 'Sign out' }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(email)).toHaveCount(0);
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/auth\/signin\?next=%2Forders$/);
});

test('signing in with a wrong password says so and focuses the message; the right one signs in', async ({
  page,
  newBrowser,
}) => {
  const email = await signUp(await newBrowser());
  await page.goto('/auth/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const alert = page.locator('form').getByRole('alert');
  await expect(alert).toHaveText('Invalid credentials');
  await expect(alert).toBeFocused();
  await snap(page, '11-signin-error');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
});

test('signing up with an email in use says so beside the email field', async ({
  page,
  newBrowser,
}) => {
  const email = await signUp(await newBrowser());
  await page.goto('/auth/signup');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();

  const field = page.getByLabel('Email address');
  await expect(field).toHaveAccessibleDescription('Email in use');
  await expect(field).toBeFocused();
});

test('the forms work from the keyboard alone', async ({ page }) => {
  await page.goto('/auth/signup');
  await page.getByLabel('Email address').focus();
  await page.keyboard.type(`${crypto.randomUUID()}@example.com`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('correct horse battery');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('signed-in-as')).toBeVisible();
});

test('on a phone the navigation folds into a menu button', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signUp(page);
  await page.goto('/');
  const toggle = page.getByRole('button', { name: 'Toggle navigation' });
  await expect(page.getByRole('link', { name: 'My orders' })).toBeHidden();

  await toggle.click();

  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('link', { name: 'My orders' })).toBeVisible();
  await snap(page, '12-phone-menu');
});
